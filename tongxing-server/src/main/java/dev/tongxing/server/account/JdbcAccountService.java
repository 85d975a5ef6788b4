package dev.tongxing.server.account;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

@Service
class JdbcAccountService implements AccountService {

	private static final SecureRandom RANDOM = new SecureRandom();

	private final JdbcClient jdbc;

	private final TransactionTemplate tx;

	private final Clock clock;

	JdbcAccountService(JdbcClient jdbc, TransactionTemplate tx, Clock clock) {
		this.jdbc = jdbc;
		this.tx = tx;
		this.clock = clock;
	}

	@Override
	public UserAccount signIn(ExternalIdentity identity) {
		try {
			return this.tx.execute(status -> signInOnce(identity));
		}
		catch (DuplicateKeyException raced) {
			// Another node created the same identity at the same moment: it is there now.
			return this.tx.execute(status -> signInOnce(identity));
		}
	}

	private UserAccount signInOnce(ExternalIdentity identity) {
		OffsetDateTime now = now();
		ExternalIdentity.IdentityKey key = identity.keys().get(0);
		Optional<String> userId = this.jdbc
			.sql("SELECT user_id FROM account_identity WHERE provider = :p AND provider_key = :k")
			.param("p", key.provider())
			.param("k", key.key())
			.query(String.class)
			.optional();
		if (userId.isPresent()) {
			this.jdbc.sql("UPDATE account_identity SET last_login_at = :now WHERE provider = :p AND provider_key = :k")
				.param("now", now)
				.param("p", key.provider())
				.param("k", key.key())
				.update();
			return find(userId.get()).orElseThrow();
		}
		String id = newId();
		this.jdbc.sql("INSERT INTO account_user (id, display_name, status, created_at) VALUES (:id, :name, :st, :at)")
			.param("id", id)
			.param("name", identity.profile().displayName())
			.param("st", UserAccount.ACTIVE)
			.param("at", now)
			.update();
		this.jdbc.sql("""
				INSERT INTO account_identity (id, user_id, provider, provider_key, created_at, last_login_at)
				VALUES (:id, :user, :p, :k, :at, :at)""")
			.param("id", newId())
			.param("user", id)
			.param("p", key.provider())
			.param("k", key.key())
			.param("at", now)
			.update();
		return new UserAccount(id, identity.profile().displayName(), UserAccount.ACTIVE, now.toInstant());
	}

	@Override
	public Optional<UserAccount> find(String userId) {
		return this.jdbc.sql("SELECT id, display_name, status, created_at FROM account_user WHERE id = :id")
			.param("id", userId)
			.query((rs, i) -> new UserAccount(rs.getString(1), rs.getString(2), rs.getString(3),
					rs.getObject(4, OffsetDateTime.class).toInstant()))
			.optional();
	}

	@Override
	public Map<String, Object> claims(String userId, Set<String> scopes) {
		Map<String, Object> claims = new HashMap<>();
		if (scopes.contains("profile")) {
			find(userId).map(UserAccount::displayName).ifPresent(name -> claims.put("name", name));
		}
		return claims;
	}

	private OffsetDateTime now() {
		return Instant.now(this.clock).atOffset(ZoneOffset.UTC);
	}

	private static String newId() {
		byte[] bytes = new byte[16];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}
