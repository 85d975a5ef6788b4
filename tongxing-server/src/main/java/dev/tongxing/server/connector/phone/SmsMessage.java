package dev.tongxing.server.connector.phone;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A verification code or a notice on its way to a phone.
 *
 * @param phone the number in E.164
 * @param code the code itself, for providers that fill it into a template
 * @param text the whole message, for providers that take free text
 * @param template what kind of message this is ({@value #VERIFICATION_CODE}, or a {@link NoticeKind})
 * @param params a notice's values for a provider's pre-approved template, by name in the kind's order; empty for a
 * code, and for a notice that only a provider taking text can send
 */
public record SmsMessage(String phone, String code, String text, String template, Map<String, String> params) {

	static final String VERIFICATION_CODE = "verification-code";

	/** A notice about the account (no code), e.g. that a change of its phone number was scheduled. */
	static final String NOTICE = "account-notice";

	public SmsMessage {
		// the order is Tencent's {1}, {2}…
		params = params == null || params.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(params));
	}

	public SmsMessage(String phone, String code, String text, String template) {
		this(phone, code, text, template, Map.of());
	}

	@Override
	public String toString() {
		// the code and the template's values (a date, digits of a number) stay out of logs and exception messages
		return "SmsMessage[phone=" + this.phone + ", template=" + this.template + "]";
	}

}
