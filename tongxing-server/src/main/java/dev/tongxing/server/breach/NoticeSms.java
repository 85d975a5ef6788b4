package dev.tongxing.server.breach;

/**
 * Sends one incident notice as a text message. The gateway's SMS provider implements it (in the phone
 * connector); without one, nothing is sent and every SMS notice is recorded as failed.
 */
public interface NoticeSms {

	/** @param phone the number in E.164 */
	Outcome send(String phone, String text);

	/**
	 * The notice with what a provider's pre-approved template takes instead of the text (Tencent, Aliyun); one
	 * that sends only text ignores it.
	 */
	default Outcome send(String phone, String text, Template template) {
		return send(phone, text);
	}

	/**
	 * An incident notice's values for a provider's template: short, as the providers require.
	 * @param day the day the incident was found, {@code 2026-12-12}
	 * @param incident the incident's id ({@code BR-2026-ABCD-EFGH}), under which it is shown after signing in
	 */
	record Template(String day, String incident) {
	}

	/** What the provider said; a runtime exception from {@link #send} counts as {@link Uncertain}. */
	sealed interface Outcome {
	}

	/** Accepted by the provider. */
	record Sent() implements Outcome {
	}

	/** Known not sent, and not worth trying again by itself (a number it will not text, no provider). */
	record Refused(String reason) implements Outcome {
	}

	/** Known not sent because of a limit: try again later. */
	record Throttled(String reason) implements Outcome {
	}

	/** Unknown whether it went out (a timeout after sending): never sent again by itself. */
	record Uncertain(String reason) implements Outcome {
	}

}
