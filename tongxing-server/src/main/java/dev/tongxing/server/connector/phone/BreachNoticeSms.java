package dev.tongxing.server.connector.phone;

import dev.tongxing.server.breach.NoticeSms;
import dev.tongxing.server.login.LoginFailureCause;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Incident notices (PIPL Art. 57) through the gateway's SMS provider. Only a provider that sends the text as
 * written can carry one; Tencent's and Aliyun's templates carry a verification code alone, so with them the
 * notice is refused (and reaches the person in-app).
 */
@Component
class BreachNoticeSms implements NoticeSms {

	static final String TEMPLATE = "breach-notice";

	/** Failures that happened before anything was sent and may pass: try later. */
	private static final Set<String> LATER = Set.of("http_status", "circuit_open", "bulkhead_full");

	private final SmsSender sender;

	BreachNoticeSms(SmsSender sender) {
		this.sender = sender;
	}

	@Override
	public Outcome send(String phone, String text) {
		if (!this.sender.delivers()) {
			return new Refused("no SMS provider configured");
		}
		if (!this.sender.takesText()) {
			return new Refused(this.sender.name() + " sends templates with a code only: an incident notice needs a "
					+ "provider that sends text (webhook)");
		}
		try {
			this.sender.send(new SmsMessage(phone, null, text, TEMPLATE));
			return new Sent();
		}
		catch (SmsDeliveryException failure) {
			String error = this.sender.failureRecord(failure);
			LoginFailureCause cause = failure.failureCause();
			if (cause == LoginFailureCause.UPSTREAM_RATE_LIMITED || cause == LoginFailureCause.UPSTREAM_QUOTA
					|| LATER.stream().anyMatch(failure.upstreamError()::endsWith)) {
				return new Throttled(error);
			}
			if (failure.providerCode() || failure.upstreamError().endsWith("refused")) {
				return new Refused(error);
			}
			return new Uncertain(error); // a timeout or a broken connection: it may have gone out
		}
	}

}
