package dev.tongxing.server.events;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The clients that ever received a user's data, and the {@code sub} each of them knows the user by. Kept
 * for as long as the user exists, so a deletion reaches clients whose tokens were long revoked.
 */
@Component
class Recipients {

	private final JdbcClient jdbc;

	private final Clock clock;

	/** A nested transaction: a savepoint inside the caller's transaction, a transaction of its own otherwise. */
	private final TransactionTemplate savepoint;

	Recipients(JdbcClient jdbc, Clock clock, PlatformTransactionManager transactions) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.savepoint = new TransactionTemplate(transactions);
		this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
	}

	void received(String userId, String clientId, String subject) {
		if (exists(userId, clientId, subject)) {
			return;
		}
		try {
			// in a savepoint when called inside a transaction: losing a race must not abort the caller's (PostgreSQL)
			this.savepoint.executeWithoutResult(status -> this.jdbc.sql("""
					INSERT INTO events_recipient (user_id, client_id, subject, first_seen_at)
					VALUES (:u, :c, :s, :at)""")
				.param("u", userId)
				.param("c", clientId)
				.param("s", subject)
				.param("at", this.clock.instant().atOffset(ZoneOffset.UTC))
				.update());
		}
		catch (DuplicateKeyException raced) {
			// another request for the same client recorded it at the same moment
		}
	}

	private boolean exists(String userId, String clientId, String subject) {
		return this.jdbc.sql("SELECT COUNT(*) FROM events_recipient WHERE user_id = :u AND client_id = :c AND subject = :s")
			.param("u", userId)
			.param("c", clientId)
			.param("s", subject)
			.query(Long.class)
			.single() > 0;
	}

	/** @return the subjects each client knows this user by, by client id */
	Map<String, Set<String>> of(String userId) {
		Map<String, Set<String>> recipients = new LinkedHashMap<>();
		this.jdbc.sql("SELECT client_id, subject FROM events_recipient WHERE user_id = :u ORDER BY first_seen_at, client_id")
			.param("u", userId)
			.query((rs, i) -> recipients.computeIfAbsent(rs.getString(1), c -> new LinkedHashSet<>()).add(rs.getString(2)))
			.list();
		return recipients;
	}

	/** A client that received the user's data, under which {@code sub}, first when. */
	record Recipient(String clientId, String subject, Instant since) {
	}

	List<Recipient> list(String userId) {
		return this.jdbc.sql("""
				SELECT client_id, subject, first_seen_at FROM events_recipient WHERE user_id = :u
				ORDER BY first_seen_at, client_id""")
			.param("u", userId)
			.query((rs, i) -> new Recipient(rs.getString(1), rs.getString(2),
					rs.getObject(3, OffsetDateTime.class).toInstant()))
			.list();
	}

	/**
	 * A merged account's recipients become the surviving account's, with the subjects they knew: they must
	 * hear about the survivor's deletion too.
	 */
	void merged(String intoUserId, String fromUserId) {
		this.jdbc.sql("SELECT client_id, subject FROM events_recipient WHERE user_id = :from")
			.param("from", fromUserId)
			.query((rs, i) -> new String[] { rs.getString(1), rs.getString(2) })
			.list()
			.forEach(r -> received(intoUserId, r[0], r[1]));
	}

}
