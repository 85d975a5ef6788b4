package dev.tongxing.server.ratelimit;

import io.github.bucket4j.TimeMeter;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.context.annotation.Bean;

/**
 * The buckets' time, held still by a test so that "200 requests in one second" means exactly that however
 * slow the machine, and moved on when the test says (all nodes of a test in one JVM share it).
 */
final class HeldTime implements TimeMeter {

	static final HeldTime INSTANCE = new HeldTime();

	private final AtomicLong nanos = new AtomicLong(System.currentTimeMillis() * 1_000_000L);

	void advanceMillis(long millis) {
		this.nanos.addAndGet(millis * 1_000_000L);
	}

	@Override
	public long currentTimeNanos() {
		return this.nanos.get();
	}

	@Override
	public boolean isWallClockBased() {
		return true;
	}

	/** Given to {@code GatewayNode.start} as a source; not annotated, so no component scan ever picks it up. */
	static class Beans {

		@Bean
		TimeMeter heldRateLimitTime() {
			return INSTANCE;
		}

	}

}
