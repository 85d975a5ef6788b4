package dev.tongxing.server.connector.phone;

import dev.tongxing.server.breach.NoticeSms;
import dev.tongxing.server.login.LoginFailureCause;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Incident notices (PIPL Art. 57) through the gateway's SMS provider: as written by one that sends text, through
 * the approved {@code breach-notice} template by Tencent or Aliyun when one is configured; without either the
 * notice is refused (and reaches the person in-app). Other notices to a person take the same path ({@link #deliver}).
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

	/** Without a template's values: only a provider that sends text can carry it. */
	@Override
	public Outcome send(String phone, String text) {
		return deliver(new SmsMessage(phone, null, text, TEMPLATE));
	}

	@Override
	public Outcome send(String phone, String text, Template template) {
		return deliver(NoticeKind.BREACH.message(phone, text, template.day(), template.incident()));
	}

	/** Sends a notice of any kind, refused when no provider can send that kind. */
	Outcome deliver(SmsMessage notice) {
		if (!this.sender.delivers()) {
			return new Refused("no SMS provider configured");
		}
		if (!SmsSender.carries(this.sender, notice)) {
			return new Refused(this.sender.name() + " has no template for " + notice.template()
					+ " (tongxing.sms.<provider>.notice-templates) and sends no text");
		}
		try {
			this.sender.send(notice);
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
