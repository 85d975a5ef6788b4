package dev.tongxing.server.connector.phone;

/** Delivers one text message; one implementation per provider, chosen by {@code tongxing.sms.sender}. */
public interface SmsSender {

	/** @throws SmsDeliveryException when the provider did not accept the message */
	void send(SmsMessage message);

	/** The provider, as in {@code tongxing.sms.sender}, for failure records. */
	default String name() {
		return "sms";
	}

	/** A cheap, harmless call that shows whether the provider answers, for the availability probes; none if none. */
	default java.util.Optional<Runnable> probe() {
		return java.util.Optional.empty();
	}

	/** False only for the stand-in used when no sender is configured. */
	default boolean delivers() {
		return true;
	}

}
