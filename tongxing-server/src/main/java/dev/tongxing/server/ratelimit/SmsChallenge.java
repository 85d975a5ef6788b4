package dev.tongxing.server.ratelimit;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The challenge a send must pass once a number, an address or a browser asked for too many codes: the built-in
 * proof of work, or a captcha provider's ({@code tongxing.sms.challenge.kind}). {@link PhoneAbuseGuard} decides
 * when a challenge is due; this says what the page shows and what the answer is worth.
 */
public interface SmsChallenge {

	/** The form fields a page sends back: what it was given, and its answer (a solution, or a captcha's ticket). */
	String CHALLENGE_FIELD = "challenge";

	String SOLUTION_FIELD = "challenge_solution";

	/** {@code pow}, {@code tencent}, {@code aliyun}: the page's {@code data-challenge-kind}. */
	String kind();

	/**
	 * @param binding what a passed challenge may be used for (a keyed digest of number and address)
	 * @param lastCheckUnavailable whether the answer just given could not be checked (the provider did not
	 * answer), so the page says so rather than asking again in the usual words
	 */
	PhoneAbuseGuard.Challenge issue(String binding, boolean lastCheckUnavailable);

	/** What the request's answer to an earlier challenge is worth; each answer buys one send at most. */
	Answer check(HttpServletRequest request, String binding);

	enum Answer {

		/** No answer in the request. */
		NONE,
		/** Passed: one send may go. */
		PASSED,
		/** Wrong, expired, used already or for something else. */
		FAILED,
		/** Could not be checked (the provider unreachable, refusing our credentials): refused, fail-closed. */
		UNAVAILABLE

	}

}
