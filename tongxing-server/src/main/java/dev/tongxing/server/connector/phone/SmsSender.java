package dev.tongxing.server.connector.phone;

/**
 * Delivers one text message; one implementation per provider, chosen by {@code tongxing.sms.sender} (or several
 * in {@code tongxing.sms.providers}, behind {@link FailoverSmsSender}).
 */
public interface SmsSender {

	/** @throws SmsDeliveryException when the provider did not accept the message */
	void send(SmsMessage message);

	/**
	 * Sends, and answers the provider's own id of the message (Tencent's {@code SerialNo}, Aliyun's {@code BizId}),
	 * which its delivery receipt names; empty when the provider gives none.
	 * @throws SmsDeliveryException when the provider did not accept the message
	 */
	default java.util.Optional<String> sendWithId(SmsMessage message) {
		send(message);
		return java.util.Optional.empty();
	}

	/** The provider, as in {@code tongxing.sms.sender}, for failure records. */
	default String name() {
		return "sms";
	}

	/** A cheap, harmless call that shows whether the provider answers, for the availability probes; none if none. */
	default java.util.Optional<Runnable> probe() {
		return java.util.Optional.empty();
	}

	/** Every provider's probe behind this sender, by provider name (several when it fails over). */
	default java.util.Map<String, Runnable> probes() {
		return probe().map(call -> java.util.Map.of(name(), call)).orElse(java.util.Map.of());
	}

	/** How a failed send is named in failure records: {@code <provider> <code>}. */
	default String failureRecord(SmsDeliveryException failure) {
		return name() + " " + failure.upstreamError();
	}

	/**
	 * Whether the provider delivers {@link SmsMessage#text()} as written (a webhook, the log), rather than
	 * pre-approved templates (Tencent, Aliyun): only such a provider can send a notice without a template's values.
	 */
	default boolean takesText() {
		return false;
	}

	/**
	 * Whether the provider sends a notice of this kind ({@link NoticeKind#template()}) filled in from its values: one
	 * that takes text sends every kind, a template-only one those it has an approved template for.
	 */
	default boolean sends(String kind) {
		return takesText();
	}

	/** Whether this provider may be offered the message at all: any provider sends codes, not every one notices. */
	static boolean carries(SmsSender sender, SmsMessage message) {
		if (NoticeKind.of(message.template()).isEmpty()) {
			return true;
		}
		return message.params().isEmpty() ? sender.takesText() : sender.sends(message.template());
	}

	/** False only for the stand-in used when no sender is configured. */
	default boolean delivers() {
		return true;
	}

}
