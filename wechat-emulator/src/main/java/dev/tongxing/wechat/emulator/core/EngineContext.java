package dev.tongxing.wechat.emulator.core;

import dev.tongxing.wechat.emulator.config.EmulatorConfig;
import dev.tongxing.wechat.emulator.config.EmulatorConfig.Settings;

import java.time.Instant;

/** What every product of the emulated WeChat shares: the clock, the live settings, the random stream, who exists. */
final class EngineContext {
    final EmulatorClock clock;
    final Directory directory = new Directory();
    final RandomSource random = new RandomSource(0);
    private Settings settings = new Settings();

    EngineContext(EmulatorClock clock) {
        this.clock = clock;
    }

    void load(EmulatorConfig config) {
        settings = config.settings == null ? new Settings() : config.settings;
        random.reseed(config.seed);
        directory.load(config);
    }

    Settings settings() {
        return settings;
    }

    Instant now() {
        return clock.instant();
    }

    Ids ids() {
        return directory.ids();
    }
}
