package dev.tongxing.server.kernel;

/**
 * A short message to a person outside the gateway's pages, for what they must hear of without signing in (a
 * deletion of their account they did not ask for). The phone connector implements it with the bound number; with
 * no implementation nothing can be sent, and callers record so.
 */
public interface PersonNotices {

	/** What became of one notice. */
	enum Outcome {

		/** The provider accepted it. */
		SENT,
		/** The person has no channel (no phone bound). */
		NO_CHANNEL,
		/** Known not sent: no provider, or none with a template for this notice, or it refused. */
		REFUSED,
		/** Perhaps sent (a timeout after sending): never tried again by itself. */
		UNCERTAIN,
		/** Known not sent for a passing reason (a limit, an open breaker): try again later. */
		LATER

	}

	/**
	 * A deletion notice: the whole text for a channel that sends text, and the day the deletion is carried out for
	 * a provider's pre-approved template (Tencent, Aliyun).
	 * @param text in the person's language as far as the caller knows it
	 */
	Outcome sendDeletion(String accountId, String text, java.time.LocalDate day);

}
