package dev.tongxing.server.connector.phone;

/** Stands in when no sender is configured outside development: phone login is then off. */
class NoSmsSender implements SmsSender {

	@Override
	public String name() {
		return "none";
	}

	@Override
	public void send(SmsMessage message) {
		throw new SmsDeliveryException("No SMS sender is configured (tongxing.sms.sender)");
	}

	@Override
	public boolean delivers() {
		return false;
	}

}
