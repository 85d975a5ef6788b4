package dev.tongxing.server.connector.phone;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Delivery receipts and demotion, under {@code tongxing.sms.delivery.*}. A provider is judged on its sends of the
 * last {@code window} that are older than {@code receiptWait} (their receipt is due): with at least
 * {@code minimumSends} of them, it is demoted while the share without a "delivered" receipt (failed, or none yet) is
 * {@code failureThreshold} or more.
 *
 * @param window how far back a provider's sends are judged
 * @param receiptWait how long a receipt may take before its send counts against the provider
 * @param minimumSends fewer judged sends than this say nothing (no demotion)
 * @param failureThreshold the share of judged sends not delivered at which the provider is demoted (0–1]
 * @param checkInterval how often each node re-reads the verdicts from the database
 * @param retention how long send and receipt rows are kept
 * @param maxConcurrentReceipts receipt requests one node handles at once; more are answered 503 (the providers
 * push again)
 */
@ConfigurationProperties("tongxing.sms.delivery")
public record SmsDeliveryProperties(@DefaultValue("30m") Duration window, @DefaultValue("5m") Duration receiptWait,
		@DefaultValue("10") int minimumSends, @DefaultValue("0.5") double failureThreshold,
		@DefaultValue("30s") Duration checkInterval, @DefaultValue("7d") Duration retention,
		@DefaultValue("8") int maxConcurrentReceipts) {

	public SmsDeliveryProperties {
		if (!positive(window) || !positive(checkInterval) || !positive(retention) || receiptWait.isNegative()) {
			throw new IllegalArgumentException(
					"tongxing.sms.delivery.window, .check-interval and .retention must be positive, .receipt-wait not negative");
		}
		if (receiptWait.compareTo(window) >= 0) {
			throw new IllegalArgumentException("tongxing.sms.delivery.receipt-wait must be shorter than .window");
		}
		// the rows judged must still be there
		if (retention.compareTo(window) < 0) {
			throw new IllegalArgumentException("tongxing.sms.delivery.retention must be at least .window");
		}
		if (minimumSends < 1) {
			throw new IllegalArgumentException("tongxing.sms.delivery.minimum-sends must be at least 1");
		}
		if (!(failureThreshold > 0 && failureThreshold <= 1)) {
			throw new IllegalArgumentException("tongxing.sms.delivery.failure-threshold must be in (0, 1]");
		}
		if (maxConcurrentReceipts < 1) {
			throw new IllegalArgumentException("tongxing.sms.delivery.max-concurrent-receipts must be at least 1");
		}
	}

	private static boolean positive(Duration d) {
		return !d.isNegative() && !d.isZero();
	}

}
