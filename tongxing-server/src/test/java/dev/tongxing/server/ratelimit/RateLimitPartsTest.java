package dev.tongxing.server.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.oidc.client.ClientTier;
import dev.tongxing.server.testing.MutableClock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The limiter's parts on their own: tier defaults, the buckets' time, the proof of work. */
class RateLimitPartsTest {

	@Test
	void tiersHaveTheirDefaultsAndConfigurationWins() {
		RateLimitProperties defaults = new RateLimitProperties(true, Map.of(), RateLimitProperties.RedisUnavailable.LOCAL,
				Duration.ofMillis(250), "p", -1);
		assertThat(defaults.limits(ClientTier.S, LimitedEndpoint.TOKEN)).isEqualTo(new RequestLimit(5000, 5000));
		assertThat(defaults.limits(ClientTier.A, LimitedEndpoint.TOKEN)).isEqualTo(new RequestLimit(1000, 1000));
		assertThat(defaults.limits(ClientTier.B, LimitedEndpoint.TOKEN)).isEqualTo(new RequestLimit(200, 200));
		assertThat(defaults.limits(ClientTier.C, LimitedEndpoint.TOKEN)).isEqualTo(new RequestLimit(50, 50));
		assertThat(defaults.limits(ClientTier.C, LimitedEndpoint.AUTHORIZATION)).isEqualTo(new RequestLimit(50, 50));
		assertThat(defaults.limits(ClientTier.C, LimitedEndpoint.INTROSPECTION)).isEqualTo(new RequestLimit(100, 100));
		assertThat(defaults.localTokens(new RequestLimit(5000, 5000))).isEqualTo(50);
		assertThat(defaults.localTokens(new RequestLimit(50, 50))).isZero();

		RateLimitProperties configured = new RateLimitProperties(true,
				Map.of(ClientTier.B, new RateLimitProperties.TierLimits(300, 600, null, null, 20, null)),
				RateLimitProperties.RedisUnavailable.LOCAL, Duration.ofMillis(250), "p", 0);
		assertThat(configured.limits(ClientTier.B, LimitedEndpoint.TOKEN)).isEqualTo(new RequestLimit(300, 600));
		assertThat(configured.limits(ClientTier.B, LimitedEndpoint.AUTHORIZATION)).isEqualTo(new RequestLimit(200, 200));
		assertThat(configured.limits(ClientTier.B, LimitedEndpoint.INTROSPECTION)).isEqualTo(new RequestLimit(20, 20));
		assertThat(new RequestLimit(300, 600).windowSeconds()).isEqualTo(2);
	}

	@Test
	void theBucketsTimeFollowsAClockMovedForwardButNeverRunsBack() {
		MutableClock clock = new MutableClock();
		RateLimitConfig.ClockTimeMeter time = new RateLimitConfig.ClockTimeMeter(clock);
		long start = time.currentTimeNanos();
		clock.advance(Duration.ofDays(1));
		long later = time.currentTimeNanos();
		assertThat(later - start).isGreaterThanOrEqualTo(Duration.ofDays(1).toNanos());
		clock.reset();
		assertThat(time.currentTimeNanos()).isGreaterThanOrEqualTo(later);
	}

	@Test
	void aLocalBucketHoldsItsBurstAndRefillsAtItsRate() {
		MutableClock clock = new MutableClock();
		LocalBuckets buckets = new LocalBuckets(new RateLimitConfig.ClockTimeMeter(clock));
		RequestLimit limit = RequestLimit.per(3, Duration.ofDays(1));
		assertThat(buckets.hasRoom("k", limit)).isTrue();
		for (int i = 0; i < 3; i++) {
			assertThat(buckets.take("k", limit).allowed()).isTrue();
		}
		Buckets.Take refused = buckets.take("k", limit);
		assertThat(refused.allowed()).isFalse();
		assertThat(Duration.ofNanos(refused.nanosToWait())).isBetween(Duration.ofHours(7), Duration.ofHours(8));
		assertThat(buckets.hasRoom("k", limit)).isFalse();
		clock.advance(Duration.ofHours(8));
		assertThat(buckets.take("k", limit).allowed()).isTrue();
	}

	@Test
	void aProofOfWorkIsBoundSignedAndExpires() {
		MutableClock clock = new MutableClock();
		ProofOfWork pow = new ProofOfWork(new byte[32], clock, 8, Duration.ofMinutes(5));
		String challenge = pow.issue("number-and-address");
		String solution = ProofOfWork.solve(challenge);
		assertThat(ProofOfWork.zeroBits(ProofOfWork.sha256(challenge + ":" + solution))).isGreaterThanOrEqualTo(8);
		assertThat(pow.solved(challenge, solution, "number-and-address")).isTrue();
		assertThat(pow.solved(challenge, solution, "another-number")).isFalse();
		assertThat(pow.solved(challenge, "not-a-number", "number-and-address")).isFalse();
		// an easier difficulty written into it breaks the signature
		String easier = challenge.replaceFirst("\\.8\\.", ".1.");
		assertThat(pow.solved(easier, ProofOfWork.solve(easier), "number-and-address")).isFalse();
		// another key did not issue it
		ProofOfWork other = new ProofOfWork(new byte[] { 1, 2, 3 }, clock, 8, Duration.ofMinutes(5));
		assertThat(other.solved(challenge, solution, "number-and-address")).isFalse();
		clock.advance(Duration.ofMinutes(6));
		assertThat(pow.solved(challenge, solution, "number-and-address")).isFalse();
	}

	@Test
	void zeroBitsCountsLeadingZeroBits() {
		assertThat(ProofOfWork.zeroBits(new byte[] { 0, 0, (byte) 0x80 })).isEqualTo(16);
		assertThat(ProofOfWork.zeroBits(new byte[] { 0, 0x01 })).isEqualTo(15);
		assertThat(ProofOfWork.zeroBits(new byte[] { (byte) 0xff })).isZero();
	}

}
