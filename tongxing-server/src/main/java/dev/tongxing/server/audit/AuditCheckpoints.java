package dev.tongxing.server.audit;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;

/**
 * Signs checkpoints: a JWT (RS256, {@code typ: audit-checkpoint+jwt}, by the gateway's active signing key)
 * with claims {@code seq}, {@code hash} and {@code iat} stating the chain's entry at {@code seq}. Any node
 * may sign one; the checkpoint's primary key (its seq) keeps one per entry when two nodes race.
 */
final class AuditCheckpoints {

	private static final Logger log = LoggerFactory.getLogger(AuditCheckpoints.class);

	static final String TYPE = "audit-checkpoint+jwt";

	record Checkpoint(long seq, String hash, Instant signedAt, String kid, String jws) {
	}

	private final JdbcClient jdbc;

	private final AuditEntries entries;

	private final JwtEncoder encoder;

	private final Clock clock;

	AuditCheckpoints(JdbcClient jdbc, JwtEncoder encoder, Clock clock) {
		this.jdbc = jdbc;
		this.entries = new AuditEntries(jdbc);
		this.encoder = encoder;
		this.clock = clock;
	}

	@Scheduled(fixedDelayString = "${tongxing.audit.checkpoint-interval:5m}",
			initialDelayString = "${tongxing.audit.checkpoint-interval:5m}")
	void scheduled() {
		try {
			checkpoint();
		}
		catch (RuntimeException ex) {
			log.warn("Could not sign an audit checkpoint", ex);
		}
	}

	/** Signs the chain's newest entry, unless a checkpoint already covers it. */
	Optional<Checkpoint> checkpoint() {
		AuditEntries.Head head = this.entries.head(); // a committed (seq, hash) pair: no lock needed
		Long last = this.jdbc.sql("SELECT MAX(seq) FROM audit_checkpoint").query(Long.class).optional().orElse(null);
		if (head.seq() == 0 || last != null && last >= head.seq()) {
			return Optional.empty();
		}
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.SECONDS);
		Jwt jwt = this.encoder.encode(JwtEncoderParameters.from(
				JwsHeader.with(SignatureAlgorithm.RS256).type(TYPE).build(), JwtClaimsSet.builder()
					.issuedAt(now)
					.claim("seq", head.seq())
					.claim("hash", head.hash())
					.build()));
		Checkpoint checkpoint = new Checkpoint(head.seq(), head.hash(), now, jwt.getHeaders().get("kid").toString(),
				jwt.getTokenValue());
		try {
			this.jdbc.sql("""
					INSERT INTO audit_checkpoint (seq, hash, signed_at, kid, jws) VALUES (:seq, :hash, :at, :kid, :jws)""")
				.param("seq", checkpoint.seq())
				.param("hash", checkpoint.hash())
				.param("at", now.atOffset(ZoneOffset.UTC))
				.param("kid", checkpoint.kid())
				.param("jws", checkpoint.jws())
				.update();
		}
		catch (DuplicateKeyException raced) {
			return Optional.empty(); // another node signed the same entry
		}
		return Optional.of(checkpoint);
	}

	List<Checkpoint> all() {
		return this.jdbc.sql("SELECT seq, hash, signed_at, kid, jws FROM audit_checkpoint ORDER BY seq")
			.query((rs, i) -> new Checkpoint(rs.getLong(1), rs.getString(2),
					rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getString(4), rs.getString(5)))
			.list();
	}

}
