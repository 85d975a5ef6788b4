package dev.tongxing.server.analytics;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Login analytics, under {@code tongxing.analytics.*}.
 *
 * @param flushInterval how often each node adds the counts it holds in memory to the roll-ups (a crash loses
 * at most this much)
 * @param retention how long roll-ups and cohort rows are kept
 * @param successTarget the target line on the charts, a share between 0 and 1
 * @param topCauses how many failure causes the answers list
 * @param smsPrice the price of one text message per SMS sender as {@code tongxing.sms.sender} names it ({@code tencent}, {@code aliyun}, …)
 */
@ConfigurationProperties("tongxing.analytics")
public record AnalyticsProperties(@DefaultValue("10s") Duration flushInterval, @DefaultValue("400d") Duration retention,
		@DefaultValue("0.92") double successTarget, @DefaultValue("5") int topCauses,
		@DefaultValue Map<String, BigDecimal> smsPrice) {

	public AnalyticsProperties {
		if (flushInterval.isNegative() || flushInterval.isZero()) {
			throw new IllegalStateException("tongxing.analytics.flush-interval must be more than 0");
		}
		if (retention.toDays() < 1) {
			throw new IllegalStateException("tongxing.analytics.retention must be at least a day");
		}
		if (successTarget < 0 || successTarget > 1) {
			throw new IllegalStateException("tongxing.analytics.success-target must be between 0 and 1");
		}
		if (topCauses < 1 || topCauses > 50) {
			throw new IllegalStateException("tongxing.analytics.top-causes must be between 1 and 50");
		}
	}

}
