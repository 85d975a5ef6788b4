package dev.tongxing.server.connector.phone;

import dev.tongxing.server.ratelimit.PhoneAbuseGuard;
import dev.tongxing.server.ratelimit.SmsChallenge;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A captcha provider as the SMS challenge: the page shows the provider's widget (its script loaded on that page
 * only), the widget's answer comes back in {@value SmsChallenge#SOLUTION_FIELD}, and the provider's server API
 * says whether it passed — one guarded call ({@link SmsHttp}, upstream {@code captcha}), never retried. When the
 * provider cannot say (unreachable, timeout, 5xx, open circuit, our credentials refused), the send is refused
 * (fail-closed, {@code on-upstream-failure: refuse}) or let through ({@code allow}), counted either way as
 * {@code tongxing_sms_challenge_checks_total{kind,outcome}}.
 */
abstract class CaptchaChallenge implements SmsChallenge {

	private static final Logger log = LoggerFactory.getLogger(CaptchaChallenge.class);

	/** Answers longer than this are no widget's (Aliyun's verify parameter is a few hundred characters). */
	static final int MAX_ANSWER = 8192;

	private final boolean failOpen;

	private final MeterRegistry meters;

	CaptchaChallenge(SmsChallengeProperties properties, MeterRegistry meters) {
		this.failOpen = properties.onUpstreamFailure() == SmsChallengeProperties.OnFailure.ALLOW;
		this.meters = meters;
	}

	/** What the widget needs, and the page's CSP sources ({@code csp}, space-separated). */
	abstract Map<String, String> widget();

	/** What the page's hidden {@value SmsChallenge#CHALLENGE_FIELD} field carries (the app or scene id). */
	abstract String challengeValue();

	/**
	 * Asks the provider about one answer.
	 * @return whether it passed
	 * @throws Unavailable when the provider could not say
	 */
	abstract boolean verify(String answer, HttpServletRequest request);

	@Override
	public PhoneAbuseGuard.Challenge issue(String binding, boolean lastCheckUnavailable) {
		return new PhoneAbuseGuard.Challenge(kind(), challengeValue(), 0, widget(), lastCheckUnavailable);
	}

	@Override
	public Answer check(HttpServletRequest request, String binding) {
		String answer = request.getParameter(SOLUTION_FIELD);
		if (answer == null || answer.isBlank()) {
			return Answer.NONE;
		}
		if (answer.length() > MAX_ANSWER) {
			return count(Answer.FAILED, "failed");
		}
		try {
			return verify(answer, request) ? count(Answer.PASSED, "passed") : count(Answer.FAILED, "failed");
		}
		catch (Unavailable ex) {
			if (this.failOpen) {
				log.warn("The {} captcha could not check an answer ({}); on-upstream-failure=allow lets the send through",
						kind(), ex.getMessage());
				return count(Answer.PASSED, "unavailable-allowed");
			}
			log.warn("The {} captcha could not check an answer ({}); the send is refused (on-upstream-failure=refuse)",
					kind(), ex.getMessage());
			return count(Answer.UNAVAILABLE, "unavailable-refused");
		}
	}

	private Answer count(Answer answer, String outcome) {
		Counter.builder("tongxing_sms_challenge_checks")
			.description("Answers to the SMS challenge's captcha checked with its provider, by outcome")
			.tag("kind", kind())
			.tag("outcome", outcome)
			.register(this.meters)
			.increment();
		return answer;
	}

	/** The provider could not say whether the answer passed. */
	static final class Unavailable extends RuntimeException {

		Unavailable(String message) {
			super(message, null, false, false);
		}

	}

}
