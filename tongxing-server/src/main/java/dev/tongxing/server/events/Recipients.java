package dev.tongxing.server.events;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The clients that ever received a user's data, and the {@code sub} each of them knows the user by. Kept
 * for as long as the user exists, so a deletion reaches clients whose tokens were long revoked.
 */
@Component
class Recipients {

	private final JdbcClient jdbc;

	private final Clock clock;

	Recipients(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	void received(String userId, String clientId, String subject) {
		if (exists(userId, clientId, subject)) {
			return;
		}
		try {
			this.jdbc.sql("""
					INSERT INTO events_recipient (user_id, client_id, subject, first_seen_at)
					VALUES (:u, :c, :s, :at)""")
				.param("u", userId)
				.param("c", clientId)
				.param("s", subject)
				.param("at", this.clock.instant().atOffset(ZoneOffset.UTC))
				.update();
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

	/** The subjects one client knows this user by; the user id itself when it never received anything. */
	Set<String> subjects(String userId, String clientId) {
		Set<String> subjects = of(userId).get(clientId);
		return subjects == null || subjects.isEmpty() ? Set.of(userId) : subjects;
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
