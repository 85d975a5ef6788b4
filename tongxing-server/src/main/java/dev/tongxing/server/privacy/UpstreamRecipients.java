package dev.tongxing.server.privacy;

import java.util.List;

/**
 * What a way to sign in sends to its upstream (WeChat, an SMS provider …), for the third-party list: each
 * connector that passes personal data on declares it here, so the list names every recipient without the
 * privacy package knowing any connector.
 */
public interface UpstreamRecipients {

	/**
	 * @param kind e.g. {@code wechat}, {@code sms-provider}
	 * @param id the recipient's id in the list (its company and contact come from
	 * {@code tongxing.privacy.recipients.<id>.*})
	 * @param role {@code other-handler} (a handler of its own) or {@code entrusted-processor}
	 * @param purposeKey the message key of what it does with the data
	 * @param categories the catalogue's data categories it receives
	 */
	record Recipient(String kind, String id, String name, String role, String purposeKey, List<String> categories) {
	}

	/** The recipients as configured now (none when the connector is off). */
	List<Recipient> recipients();

}
