package dev.tongxing.server.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deletes the chain's oldest entries once they are past {@code tongxing.audit.retention} (PIPL Art. 19: no longer
 * than necessary), without giving up tamper evidence. The chain is only ever cut at a signed checkpoint: the
 * newest one whose entry is older than the cut-off becomes the chain's signed start (its anchor, a JWS of its own
 * type, so a checkpoint cannot be passed off as one), recorded together with an {@code audit.purged} entry in one
 * transaction; then the entries up to it are deleted in batches. A crash between the two leaves entries before
 * the anchor, which verification skips and the next run deletes. Nodes take turns on the anchor's row, once a
 * day, so two nodes never move it twice.
 */
final class AuditRetention {

	private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);

	static final String TYPE = "audit-anchor+jwt";

	/** Rows deleted per statement, so a first purge of years of entries holds no long lock. */
	static final int BATCH = 5000;

	/** The chain's start: seq 0 and the genesis hash until something was deleted. */
	record Anchor(long seq, String hash, Instant cutoff, String jws) {
	}

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	private final JwtEncoder encoder;

	private final AuditLog audit;

	private final Clock clock;

	private final Duration retention;

	private final java.util.function.Supplier<com.nimbusds.jose.jwk.JWKSet> keys;

	/** @param keys the gateway's public keys, every one it ever signed with: the cut's checkpoint is checked first */
	AuditRetention(JdbcClient jdbc, TransactionTemplate transaction, JwtEncoder encoder, AuditLog audit, Clock clock,
			Duration retention, java.util.function.Supplier<com.nimbusds.jose.jwk.JWKSet> keys) {
		this.keys = keys;
		this.jdbc = jdbc;
		this.transaction = transaction;
		this.encoder = encoder;
		this.audit = audit;
		this.clock = clock;
		this.retention = retention;
	}

	@Scheduled(initialDelayString = "PT10M", fixedDelayString = "${tongxing.audit.purge-interval:1d}")
	void scheduled() {
		if (this.retention == null) {
			return;
		}
		try {
			long deleted = purge();
			if (deleted > 0) {
				log.info("Deleted {} audit entries past their retention ({})", deleted, this.retention);
			}
		}
		catch (RuntimeException ex) {
			log.warn("Audit retention purge failed (it is tried again at the next interval): {}", ex.toString());
		}
	}

	/** @return how many entries this call deleted */
	long purge() {
		if (this.retention == null) {
			return 0;
		}
		Instant cutoff = this.clock.instant().minus(this.retention).truncatedTo(ChronoUnit.SECONDS);
		moveAnchor(cutoff);
		return deleteBeforeAnchor();
	}

	/** Moves the anchor to the newest checkpoint older than {@code cutoff}, if that is later than where it is. */
	void moveAnchor(Instant cutoff) {
		this.transaction.executeWithoutResult(tx -> {
			long current = this.jdbc.sql("SELECT seq FROM audit_retention_anchor WHERE id = 1 FOR UPDATE")
				.query(Long.class)
				.single();
			// newest first; the gateway signs only a cut its own signature already vouched for: a checkpoint row
			// forged or altered in the database would otherwise become a signed start, and the deletion would hide
			// the tampering (the cut then falls back to an older checkpoint that verifies)
			List<AuditCheckpoints.Checkpoint> candidates = this.jdbc.sql("""
					SELECT c.seq, c.hash, c.signed_at, c.kid, c.jws FROM audit_checkpoint c
					JOIN audit_entry e ON e.seq = c.seq AND e.hash = c.hash
					WHERE e.recorded_at < :cutoff AND c.seq > :current
					ORDER BY c.seq DESC LIMIT 100""")
				.param("cutoff", cutoff.atOffset(ZoneOffset.UTC))
				.param("current", current)
				.query((rs, i) -> new AuditCheckpoints.Checkpoint(rs.getLong(1), rs.getString(2), null, rs.getString(4),
						rs.getString(5)))
				.list();
			Optional<AuditCheckpoints.Checkpoint> target = Optional.empty();
			for (AuditCheckpoints.Checkpoint candidate : candidates) {
				String invalid = AuditVerifier.Walk.signatureProblem(this.keys.get(), candidate.jws(), null,
						candidate.seq(), candidate.hash());
				if (invalid == null) {
					target = Optional.of(candidate);
					break;
				}
				log.error("Audit retention: not cutting the chain at checkpoint {}, which {}: run audit verify",
						candidate.seq(), invalid);
			}
			if (target.isEmpty()) {
				return;
			}
			long seq = target.get().seq();
			String hash = target.get().hash();
			Instant now = this.clock.instant().truncatedTo(ChronoUnit.SECONDS);
			String jws = this.encoder
				.encode(JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.RS256).type(TYPE).build(),
						JwtClaimsSet.builder()
							.issuedAt(now)
							.claim("seq", seq)
							.claim("hash", hash)
							.claim("cutoff", cutoff.getEpochSecond())
							.build()))
				.getTokenValue();
			this.jdbc.sql("""
					UPDATE audit_retention_anchor SET seq = :seq, hash = :hash, cutoff = :cutoff, anchored_at = :now,
					jws = :jws WHERE id = 1""")
				.param("seq", seq)
				.param("hash", hash)
				.param("cutoff", cutoff.atOffset(ZoneOffset.UTC))
				.param("now", now.atOffset(ZoneOffset.UTC))
				.param("jws", jws)
				.update();
			this.audit.record(AuditEntry.of(AuditTypes.AUDIT_PURGED)
				.actor("system")
				.detail("through", seq)
				.detail("cutoff", AuditEntry.time(cutoff))
				.detail("retention", this.retention.toString()));
		});
	}

	/** Deletes what lies before the anchor, a batch per statement; checkpoints there go too. */
	long deleteBeforeAnchor() {
		long anchor = anchor().seq();
		long deleted = 0;
		while (true) {
			Long oldest = this.jdbc.sql("SELECT MIN(seq) FROM audit_entry").query(Long.class).optional().orElse(null);
			if (oldest == null || oldest > anchor) {
				break;
			}
			deleted += this.jdbc.sql("DELETE FROM audit_entry WHERE seq >= :from AND seq < :to AND seq <= :anchor")
				.param("from", oldest)
				.param("to", oldest + BATCH)
				.param("anchor", anchor)
				.update();
		}
		this.jdbc.sql("DELETE FROM audit_checkpoint WHERE seq <= :anchor").param("anchor", anchor).update();
		return deleted;
	}

	Anchor anchor() {
		return read(this.jdbc);
	}

	static Anchor read(JdbcClient jdbc) {
		return jdbc.sql("SELECT seq, hash, cutoff, jws FROM audit_retention_anchor WHERE id = 1")
			.query((rs, i) -> new Anchor(rs.getLong(1), rs.getString(2),
					rs.getObject(3, java.time.OffsetDateTime.class) == null ? null
							: rs.getObject(3, java.time.OffsetDateTime.class).toInstant(),
					rs.getString(4)))
			.single();
	}

}
