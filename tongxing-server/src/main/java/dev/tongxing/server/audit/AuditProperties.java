package dev.tongxing.server.audit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param checkpointInterval how often a node signs a checkpoint over the chain's newest entry (when there
 * is a new one); entries after the last checkpoint are protected by the hash chain alone
 * @param checkpointEvery also sign a checkpoint whenever this many entries have been appended
 * @param sweepInterval how often a node links entries that a crashed node staged but never linked
 * @param retention how long entries are kept before they are deleted from the chain's oldest end; null (the
 * default) keeps them for the life of the deployment. Never below {@link #MINIMUM_RETENTION}.
 * @param purgeInterval how often a node deletes the entries past {@code retention}
 */
@ConfigurationProperties("tongxing.audit")
public record AuditProperties(@DefaultValue("5m") Duration checkpointInterval,
		@DefaultValue("10000") long checkpointEvery, @DefaultValue("5s") Duration sweepInterval, Duration retention,
		@DefaultValue("1d") Duration purgeInterval) {

	/**
	 * Three years (with a leap day): the log holds the security logs, kept at least six months (网络安全法 Art. 21),
	 * and the records of personal information given to other handlers — tokens, user info and security events
	 * released to apps — kept at least three years (网络数据安全管理条例 Art. 12). One chain, so the longer floor.
	 */
	public static final Duration MINIMUM_RETENTION = Duration.ofDays(3 * 365 + 1);

	public AuditProperties {
		if (checkpointInterval.isNegative() || checkpointInterval.isZero()) {
			throw new IllegalArgumentException("tongxing.audit.checkpoint-interval must be positive");
		}
		if (sweepInterval.isNegative() || sweepInterval.isZero()) {
			throw new IllegalArgumentException("tongxing.audit.sweep-interval must be positive");
		}
		if (checkpointEvery < 1) {
			throw new IllegalArgumentException("tongxing.audit.checkpoint-every must be at least 1");
		}
		if (retention != null && retention.compareTo(MINIMUM_RETENTION) < 0) {
			throw new IllegalArgumentException("tongxing.audit.retention must be at least " + MINIMUM_RETENTION.toDays()
					+ " days (3 years): the audit log keeps the records of personal information given to apps, which "
					+ "网络数据安全管理条例 Art. 12 asks to keep 3 years, and the security logs (6 months, 网络安全法 Art. 21); "
					+ "leave it unset to keep every entry");
		}
		if (purgeInterval.isNegative() || purgeInterval.isZero()) {
			throw new IllegalArgumentException("tongxing.audit.purge-interval must be positive");
		}
	}

}
