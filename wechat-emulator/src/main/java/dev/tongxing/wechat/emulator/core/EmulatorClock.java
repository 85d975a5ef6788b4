package dev.tongxing.wechat.emulator.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The emulator's clock: a base clock plus an adjustable offset, so tests expire codes and tokens without sleeping. */
public final class EmulatorClock extends Clock {
    private final Clock base;
    private volatile Duration offset = Duration.ZERO;

    public EmulatorClock(Clock base) {
        this.base = base;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the emulator clock is UTC");
    }

    @Override
    public Instant instant() {
        return base.instant().plus(offset);
    }

    public synchronized Instant advance(Duration d) {
        offset = offset.plus(d);
        return instant();
    }

    public synchronized Instant set(Instant target) {
        offset = Duration.between(base.instant(), target);
        return instant();
    }

    public synchronized void resetOffset() {
        offset = Duration.ZERO;
    }
}
