package dev.tongxing.server.connector.phone;

/**
 * Proves that someone holds a phone: a one-time code goes out by SMS and comes back. Numbers may be typed
 * any reasonable way ({@code 13800138000}, {@code +86 138 0013 8000}); results carry the E.164 form, the
 * one to store and compare.
 */
public interface PhoneVerification {

	/** Whether codes can be sent at all (an SMS sender is configured). */
	boolean available();

	/**
	 * Sends a new code to the number, replacing any earlier one, unless the number or the client's address
	 * has asked too often.
	 * @param rawPhone the number as typed
	 * @param clientIp the address the request came from, for the per-address limit
	 */
	SendOutcome send(String rawPhone, String clientIp);

	/**
	 * Checks a code against the number's latest one. A correct code works once; each wrong one counts, and
	 * after the last allowed wrong try the code is dead.
	 */
	VerifyOutcome verify(String rawPhone, String code);

}
