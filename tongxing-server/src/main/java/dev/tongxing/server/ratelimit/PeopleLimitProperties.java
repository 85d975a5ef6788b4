package dev.tongxing.server.ratelimit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tongxing.rate-limits.people.*}: limits on people, whatever the client (besides
 * {@code tongxing.phone.limits.*}, the hard send limits kept with the codes).
 *
 * @param sendsBeforeChallenge codes one number may get in a day before each further send to it needs a
 * challenge (at least 1: a person's first send never does)
 * @param addressSendsBeforeChallenge codes one client address may ask for in a day before each further send
 * from it needs one (higher: many people may share an address behind carrier-grade NAT)
 * @param verificationsPerNumberPerDay codes that may be checked for one number in a day, over all its codes
 * @param challengeDifficulty leading zero bits of the proof of work (each bit doubles the work; 16: about
 * 65,000 SHA-256 hashes, a second or two in a phone's browser)
 * @param challengeTtl how long a challenge may be solved and used (once)
 * @param verificationsPerAddressPerHour codes that may be checked from one client address in an hour, over all
 * numbers (an attacker spraying guesses over many numbers from one place)
 * @param deviceSendsBeforeChallenge codes one browser (its {@code tx_device} cookie) may ask for in a day before
 * each further send from it needs a challenge, whatever the number and the address
 * @param signInAttemptsPerAddressPerMinute sign-in attempts of one way in without a code (a passkey's
 * challenge, its assertion) from one client address in a minute
 */
@ConfigurationProperties("tongxing.rate-limits.people")
public record PeopleLimitProperties(@DefaultValue("3") int sendsBeforeChallenge,
		@DefaultValue("10") int addressSendsBeforeChallenge,
		@DefaultValue("20") int verificationsPerNumberPerDay, @DefaultValue("16") int challengeDifficulty,
		@DefaultValue("5m") Duration challengeTtl, @DefaultValue("60") int verificationsPerAddressPerHour,
		@DefaultValue("5") int deviceSendsBeforeChallenge, @DefaultValue("600") int signInAttemptsPerAddressPerMinute) {

	public PeopleLimitProperties {
		if (sendsBeforeChallenge < 1 || addressSendsBeforeChallenge < 1) {
			throw new IllegalArgumentException(
					"tongxing.rate-limits.people.sends-before-challenge and .address-sends-before-challenge must be at least 1");
		}
		if (verificationsPerNumberPerDay < 1) {
			throw new IllegalArgumentException(
					"tongxing.rate-limits.people.verifications-per-number-per-day must be at least 1");
		}
		if (verificationsPerAddressPerHour < 1) {
			throw new IllegalArgumentException(
					"tongxing.rate-limits.people.verifications-per-address-per-hour must be at least 1");
		}
		if (deviceSendsBeforeChallenge < 1) {
			throw new IllegalArgumentException("tongxing.rate-limits.people.device-sends-before-challenge must be at least 1");
		}
		if (signInAttemptsPerAddressPerMinute < 1) {
			throw new IllegalArgumentException(
					"tongxing.rate-limits.people.sign-in-attempts-per-address-per-minute must be at least 1");
		}
		if (challengeDifficulty < 1 || challengeDifficulty > 32) {
			throw new IllegalArgumentException("tongxing.rate-limits.people.challenge-difficulty must be 1-32 bits");
		}
	}

}
