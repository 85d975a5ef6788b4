package dev.tongxing.server.ops;

import java.time.Instant;
import java.util.List;

/**
 * How much of an upstream's quota is used, told by the package that keeps the budget (the WeChat connector) for
 * the console's overview ({@link OpsOverview}): the ops package names no connector.
 */
public interface UpstreamQuotas {

	List<QuotaUse> quotaUse();

	/**
	 * One budgeted API of one upstream app.
	 *
	 * @param upstream e.g. {@code wechat:<appid>}
	 * @param api the API as the configuration names it ({@code stable-token}, …)
	 * @param dayLimit calls per day budgeted; null when only backed off
	 * @param dayRemaining calls left today as this node last saw them (the shared bucket's on Redis); null before
	 * this node's first budgeted call of the day
	 * @param backOffUntil while the upstream's own quota error holds the API back (every node), else null
	 * @param backOffErrcode the upstream's error that started the back-off, else null
	 */
	record QuotaUse(String upstream, String api, Long dayLimit, Long dayRemaining, Instant backOffUntil,
			Integer backOffErrcode) {

		/** Share of the day's budget used (0–1, 6 decimals: a few calls of a large budget are still more than none), when known. */
		public Double dayUsed() {
			if (this.dayLimit == null || this.dayRemaining == null || this.dayLimit <= 0) {
				return null;
			}
			return Math.round((double) (this.dayLimit - this.dayRemaining) / this.dayLimit * 1_000_000) / 1_000_000.0;
		}

	}

}
