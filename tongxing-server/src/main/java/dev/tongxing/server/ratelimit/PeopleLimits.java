package dev.tongxing.server.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Limits on people, whatever the client, in the same buckets as the clients' (so on Redis for the whole
 * cluster when it is configured). Keys are keyed digests: neither Redis nor memory holds a phone number or an
 * address in the clear.
 * <ul>
 * <li>SMS bombing: after {@code sends-before-challenge} codes to one number or from one address in a day,
 * every further send needs a passed {@link SmsChallenge} (used once): the {@link ProofOfWork} by default, or a
 * captcha provider's. The hard caps of
 * {@code tongxing.phone.limits.*} still apply after it.</li>
 * <li>Code verifications per number: {@code verifications-per-number-per-day} over all its codes, on top of
 * the tries per code ({@code tongxing.phone.max-attempts}); and per client address,
 * {@code verifications-per-address-per-hour} over all numbers.</li>
 * <li>Sends per browser: its {@value PhoneAbuseGuard#DEVICE_COOKIE} cookie counts like a number and an address
 * ({@code device-sends-before-challenge}).</li>
 * <li>Sign-in attempts of ways in without a code (passkeys) per client address and method:
 * {@code sign-in-attempts-per-address-per-minute}.</li>
 * </ul>
 */
class PeopleLimits implements PhoneAbuseGuard, SignInAttempts {

	private static final Duration DAY = Duration.ofDays(1);

	private static final Duration HOUR = Duration.ofHours(1);

	private static final Duration MINUTE = Duration.ofMinutes(1);

	private static final java.util.regex.Pattern DEVICE_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{22,64}");

	private final Buckets buckets;

	private final PeopleLimitProperties properties;

	private final SmsChallenge challenge;

	private final ProofOfWork digests;

	private final Clock clock;

	private final Counter challenged;

	private final Counter solvedChallenges;

	private final Counter verificationsLimited;

	private final Counter addressVerificationsLimited;

	private final Counter signInAttemptsLimited;

	/**
	 * @param proofOfWork the built-in challenge, whose key also makes the buckets' keyed digests
	 * @param challenge the challenge a due send must pass: a captcha provider's, or null for the proof of work
	 */
	PeopleLimits(Buckets buckets, PeopleLimitProperties properties, ProofOfWork proofOfWork, SmsChallenge challenge,
			Clock clock, MeterRegistry meters) {
		this.buckets = buckets;
		this.properties = properties;
		this.challenge = challenge != null ? challenge
				: new ProofOfWorkChallenge(proofOfWork, buckets, properties.challengeTtl());
		this.digests = proofOfWork;
		this.clock = clock;
		this.challenged = counter(meters, "sms_challenge");
		this.solvedChallenges = counter(meters, "sms_challenge_solved");
		this.verificationsLimited = counter(meters, "verifications_per_number");
		this.addressVerificationsLimited = counter(meters, "verifications_per_address");
		this.signInAttemptsLimited = counter(meters, "sign_in_attempts_per_address");
	}

	private static Counter counter(MeterRegistry meters, String limit) {
		return Counter.builder("tongxing_people_limited")
			.description("Limits on people that acted: challenges asked for and passed, verification tries refused")
			.tag("limit", limit)
			.register(meters);
	}

	@Override
	public Verdict beforeSend(String e164, HttpServletRequest request) {
		String address = request.getRemoteAddr() == null ? "" : request.getRemoteAddr();
		String binding = digest("bind", e164 + "|" + address);
		String toNumber = "sms-to:" + digest("n", e164);
		RequestLimit numberLimit = RequestLimit.per(this.properties.sendsBeforeChallenge(), DAY);
		String fromAddress = "sms-from:" + digest("a", address);
		RequestLimit addressLimit = RequestLimit.per(this.properties.addressSendsBeforeChallenge(), DAY);
		String device = device(request);
		String fromDevice = device == null ? null : "sms-device:" + digest("d", device);
		RequestLimit deviceLimit = RequestLimit.per(this.properties.deviceSendsBeforeChallenge(), DAY);
		boolean free = this.buckets.hasRoom(toNumber, numberLimit) && this.buckets.hasRoom(fromAddress, addressLimit)
				&& (fromDevice == null || this.buckets.hasRoom(fromDevice, deviceLimit));
		// an answer is only checked when a challenge is due: no captcha provider call for a free send
		SmsChallenge.Answer answer = free ? SmsChallenge.Answer.NONE : this.challenge.check(request, binding);
		boolean solved = answer == SmsChallenge.Answer.PASSED;
		if (solved || free) {
			// only sends count (a challenged request is none), and a passed challenge buys one send
			this.buckets.take(toNumber, numberLimit);
			this.buckets.take(fromAddress, addressLimit);
			if (fromDevice != null) {
				this.buckets.take(fromDevice, deviceLimit);
			}
			if (solved) {
				this.solvedChallenges.increment();
			}
			return new Go();
		}
		this.challenged.increment();
		return this.challenge.issue(binding, answer == SmsChallenge.Answer.UNAVAILABLE);
	}

	@Override
	public Instant beforeVerify(String e164, HttpServletRequest request) {
		String address = request.getRemoteAddr() == null ? "" : request.getRemoteAddr();
		Buckets.Take fromAddress = this.buckets.take("verify-from:" + digest("a", address),
				RequestLimit.per(this.properties.verificationsPerAddressPerHour(), HOUR));
		if (!fromAddress.allowed()) {
			this.addressVerificationsLimited.increment();
			request.setAttribute(ADDRESS_REFUSAL, Boolean.TRUE);
			return this.clock.instant().plusNanos(fromAddress.nanosToWait());
		}
		Buckets.Take take = this.buckets.take("verify:" + digest("n", e164),
				RequestLimit.per(this.properties.verificationsPerNumberPerDay(), DAY));
		if (take.allowed()) {
			return null;
		}
		this.verificationsLimited.increment();
		return this.clock.instant().plusNanos(take.nanosToWait());
	}

	@Override
	public Instant beforeAttempt(String method, HttpServletRequest request) {
		String address = request.getRemoteAddr() == null ? "" : request.getRemoteAddr();
		Buckets.Take take = this.buckets.take("sign-in:" + method + ":" + digest("a", address),
				RequestLimit.per(this.properties.signInAttemptsPerAddressPerMinute(), MINUTE));
		if (take.allowed()) {
			return null;
		}
		this.signInAttemptsLimited.increment();
		return this.clock.instant().plusNanos(Math.max(take.nanosToWait(), 1_000_000_000L));
	}

	/** The browser's device id, when it sent a well-formed one. */
	private static String device(HttpServletRequest request) {
		jakarta.servlet.http.Cookie[] cookies = request.getCookies();
		if (cookies == null) {
			return null;
		}
		for (jakarta.servlet.http.Cookie cookie : cookies) {
			if (DEVICE_COOKIE.equals(cookie.getName()) && cookie.getValue() != null
					&& DEVICE_ID.matcher(cookie.getValue()).matches()) {
				return cookie.getValue();
			}
		}
		return null;
	}

	private String digest(String kind, String value) {
		return this.digests.mac(kind, value);
	}

}
