package dev.tongxing.server.connector.phone;

/**
 * A verification code on its way to a phone.
 *
 * @param phone the number in E.164
 * @param code the code itself, for providers that fill it into a template
 * @param text the whole message, for providers that take free text
 * @param template what kind of message this is ({@value #VERIFICATION_CODE})
 */
public record SmsMessage(String phone, String code, String text, String template) {

	static final String VERIFICATION_CODE = "verification-code";

	/** A notice about the account (no code), e.g. that a change of its phone number was scheduled. */
	static final String NOTICE = "account-notice";

	@Override
	public String toString() {
		// the code stays out of logs and exception messages
		return "SmsMessage[phone=" + this.phone + ", template=" + this.template + "]";
	}

}
