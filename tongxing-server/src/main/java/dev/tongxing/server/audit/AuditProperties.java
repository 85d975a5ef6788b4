package dev.tongxing.server.audit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param checkpointInterval how often a node signs a checkpoint over the chain's newest entry (when there
 * is a new one); entries after the last checkpoint are protected by the hash chain alone
 * @param checkpointEvery also sign a checkpoint whenever this many entries have been appended
 * @param sweepInterval how often a node links entries that a crashed node staged but never linked
 */
@ConfigurationProperties("tongxing.audit")
public record AuditProperties(@DefaultValue("5m") Duration checkpointInterval,
		@DefaultValue("10000") long checkpointEvery, @DefaultValue("5s") Duration sweepInterval) {

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
	}

}
