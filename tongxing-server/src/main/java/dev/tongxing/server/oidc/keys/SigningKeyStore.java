package dev.tongxing.server.oidc.keys;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** The {@code oidc_signing_key} table. */
class SigningKeyStore {

	record StoredKey(String kid, String algorithm, String publicJwk, String privateJwe, String masterKeyId,
			Instant activatedAt, Instant retiredAt, Instant publishUntil) {

		boolean active() {
			return this.retiredAt == null;
		}
	}

	private final JdbcClient jdbc;

	private final TransactionTemplate tx;

	SigningKeyStore(JdbcClient jdbc, TransactionTemplate tx) {
		this.jdbc = jdbc;
		this.tx = tx;
	}

	/** Keys to publish at {@code now}: active ones first (newest first), then retired ones still needed. */
	List<StoredKey> publishable(Instant now) {
		return this.jdbc.sql("""
				SELECT kid, algorithm, public_jwk, private_jwe, master_key_id, activated_at, retired_at, publish_until
				FROM oidc_signing_key
				WHERE retired_at IS NULL OR publish_until > :now
				ORDER BY CASE WHEN retired_at IS NULL THEN 0 ELSE 1 END, activated_at DESC, kid DESC""")
			.param("now", ts(now))
			.query((rs, i) -> new StoredKey(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
					rs.getString(5), instant(rs.getObject(6, OffsetDateTime.class)),
					instant(rs.getObject(7, OffsetDateTime.class)), instant(rs.getObject(8, OffsetDateTime.class))))
			.list();
	}

	/**
	 * Retires every active key (kept published until {@code publishUntil}) and activates {@code next}, one key
	 * per algorithm.
	 */
	void rotate(List<StoredKey> next, Instant now, Instant publishUntil) {
		this.tx.executeWithoutResult(status -> {
			this.jdbc.sql("UPDATE oidc_signing_key SET retired_at = :now, publish_until = :until WHERE retired_at IS NULL")
				.param("now", ts(now))
				.param("until", ts(publishUntil))
				.update();
			next.forEach(this::insert);
		});
	}

	void insert(StoredKey key) {
		this.jdbc.sql("""
				INSERT INTO oidc_signing_key (kid, algorithm, public_jwk, private_jwe, master_key_id, activated_at)
				VALUES (:kid, :alg, :pub, :priv, :mk, :at)""")
			.param("kid", key.kid())
			.param("alg", key.algorithm())
			.param("pub", key.publicJwk())
			.param("priv", key.privateJwe())
			.param("mk", key.masterKeyId())
			.param("at", ts(key.activatedAt()))
			.update();
	}

	List<String> allPublicJwks() {
		return this.jdbc.sql("SELECT public_jwk FROM oidc_signing_key ORDER BY activated_at").query(String.class).list();
	}

	boolean anyActive(String algorithm) {
		return this.jdbc.sql("SELECT COUNT(*) FROM oidc_signing_key WHERE retired_at IS NULL AND algorithm = :alg")
			.param("alg", algorithm)
			.query(Long.class)
			.single() > 0;
	}

	private static OffsetDateTime ts(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	private static Instant instant(OffsetDateTime value) {
		return value == null ? null : value.toInstant();
	}

}
