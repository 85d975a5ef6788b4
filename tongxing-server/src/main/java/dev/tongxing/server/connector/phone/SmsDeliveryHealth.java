package dev.tongxing.server.connector.phone;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Which providers are demoted because their messages stop arriving, judged from the shared {@code sms_delivery}
 * rows (see {@link SmsDeliveryProperties}), so every node reaches the same verdict. Each node re-reads it every
 * {@code check-interval}; a send only reads the last verdict, never the database. When the database cannot be read
 * the last verdict stands. A demoted provider gets no sends while another works, so its judged sends age out of the
 * window and it is tried first again: if its messages still do not arrive it is demoted again after
 * {@code minimum-sends}; late receipts for its earlier sends restore it sooner.
 */
@Component
class SmsDeliveryHealth {

	private static final Logger log = LoggerFactory.getLogger(SmsDeliveryHealth.class);

	/** A provider's verdict and the counts it rests on. */
	record Verdict(SmsDeliveries.Counts counts, boolean demoted) {

		static final Verdict NONE = new Verdict(new SmsDeliveries.Counts(0, 0, 0, 0, 0), false);
	}

	private final SmsDeliveries deliveries;

	private final SmsDeliveryProperties properties;

	private final Clock clock;

	/** The providers whose receipts are taken: only they can be judged (the others never have a receipt). */
	private final List<String> tracked;

	private volatile Map<String, Verdict> verdicts = Map.of();

	SmsDeliveryHealth(SmsDeliveries deliveries, SmsDeliveryProperties properties, SmsProperties sms, Clock clock,
			MeterRegistry meters) {
		this.deliveries = deliveries;
		this.properties = properties;
		this.clock = clock;
		// every provider whose receipts are taken, in use or not yet: the gauges are there before the first send
		this.tracked = java.util.stream.Stream.of(SmsProperties.Sender.TENCENT, SmsProperties.Sender.ALIYUN)
			.filter(sender -> sms.receiptToken(sender) != null)
			.map(sender -> sender.name().toLowerCase(Locale.ROOT))
			.toList();
		for (String provider : this.tracked) {
			// at zero from the start, so a rate over them means something before the first receipt
			deliveries.delivery(provider, "delivered");
			deliveries.delivery(provider, "failed");
			Gauge.builder("tongxing.sms.receipts.awaiting", this, h -> h.verdict(provider).counts().awaiting())
				.description("Sends of the last tongxing.sms.delivery.window without a delivery receipt yet, all nodes")
				.tag("provider", provider)
				.register(meters);
			Gauge.builder("tongxing.sms.provider.demoted", this, h -> h.verdict(provider).demoted() ? 1 : 0)
				.description("1 while the provider is tried after the others because its messages stop arriving")
				.tag("provider", provider)
				.register(meters);
		}
	}

	/** Whether the provider is demoted, as last judged. */
	boolean demoted(String provider) {
		return verdict(provider).demoted();
	}

	Verdict verdict(String provider) {
		return this.verdicts.getOrDefault(provider, Verdict.NONE);
	}

	boolean tracks(String provider) {
		return this.tracked.contains(provider);
	}

	/** Judges every tracked provider again from the database. */
	@Scheduled(initialDelayString = "${tongxing.sms.delivery.check-interval:PT30S}",
			fixedDelayString = "${tongxing.sms.delivery.check-interval:PT30S}")
	void refresh() {
		if (this.tracked.isEmpty()) {
			return;
		}
		Instant now = this.clock.instant();
		Map<String, SmsDeliveries.Counts> counts;
		try {
			counts = this.deliveries.counts(now.minus(this.properties.window()), now.minus(this.properties.receiptWait()));
		}
		catch (RuntimeException ex) {
			log.warn("Could not judge the SMS providers' delivery (the last verdict stands): {}", ex.toString());
			return;
		}
		Map<String, Verdict> next = new java.util.HashMap<>();
		for (String provider : this.tracked) {
			SmsDeliveries.Counts c = counts.getOrDefault(provider, Verdict.NONE.counts());
			boolean demoted = c.due() >= this.properties.minimumSends()
					&& c.undelivered() >= this.properties.failureThreshold() * c.due();
			boolean was = verdict(provider).demoted();
			if (demoted != was) {
				if (demoted) {
					log.warn("SMS provider {} demoted: {} of its {} sends due a receipt were not delivered ({} failed, "
							+ "{} without a receipt); the other providers are tried first", provider, c.undelivered(),
							c.due(), c.failed(), c.undelivered() - c.failed());
				}
				else if (c.due() < this.properties.minimumSends()) {
					log.info("SMS provider {} restored: too few of its sends are due a receipt to judge it ({})", provider,
							c.due());
				}
				else {
					log.info("SMS provider {} restored: {} of its {} sends due a receipt were delivered", provider,
							c.delivered(), c.due());
				}
			}
			next.put(provider, new Verdict(c, demoted));
		}
		this.verdicts = Map.copyOf(next);
	}

}
