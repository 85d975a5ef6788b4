package dev.tongxing.server.connector.phone;

import java.util.Map;
import java.util.Optional;

/**
 * A provider whose delivery receipts are taken: each message it accepts is recorded by its id, for the receipt to
 * find. Everything else is the provider's own.
 */
final class ReceiptTrackingSender implements SmsSender {

	private final SmsSender provider;

	private final SmsDeliveries deliveries;

	ReceiptTrackingSender(SmsSender provider, SmsDeliveries deliveries) {
		this.provider = provider;
		this.deliveries = deliveries;
	}

	@Override
	public void send(SmsMessage message) {
		sendWithId(message);
	}

	@Override
	public Optional<String> sendWithId(SmsMessage message) {
		Optional<String> id = this.provider.sendWithId(message);
		id.ifPresent(messageId -> this.deliveries.sent(this.provider.name(), messageId));
		return id;
	}

	@Override
	public String name() {
		return this.provider.name();
	}

	@Override
	public Optional<Runnable> probe() {
		return this.provider.probe();
	}

	@Override
	public Map<String, Runnable> probes() {
		return this.provider.probes();
	}

	@Override
	public String failureRecord(SmsDeliveryException failure) {
		return this.provider.failureRecord(failure);
	}

	@Override
	public boolean takesText() {
		return this.provider.takesText();
	}

	@Override
	public boolean sends(String kind) {
		return this.provider.sends(kind);
	}

	@Override
	public boolean delivers() {
		return this.provider.delivers();
	}

}
