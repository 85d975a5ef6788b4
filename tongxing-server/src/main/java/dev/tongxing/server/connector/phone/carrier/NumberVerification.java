package dev.tongxing.server.connector.phone.carrier;

/**
 * A carrier number-verification service: the number behind the token a carrier SDK gave an app. Aliyun's is
 * the one built in ({@link AliyunNumberVerification}); another (a carrier's own, or a reseller's) is another
 * implementation of this interface.
 */
interface NumberVerification {

	/** The service's name, for records and metrics ({@code aliyun}). */
	String name();

	/**
	 * The number (as the service gives it, e.g. {@code 13800138000}) behind a token, which the service honours
	 * once.
	 * @throws NumberVerificationException when the service refuses the token or cannot be asked
	 */
	String mobile(String token);

	/** A cheap, harmless call showing that the service answers; throws with a short message when it does not. */
	void probe();

}
