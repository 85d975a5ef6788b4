package dev.tongxing.server.audit;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the entries about one person (their subject), e.g. for their own copy of their data. Read-only:
 * the chain itself is only ever appended to by {@link AuditLog}.
 */
@Component
public class AuditTrail {

	/** Stored entries can be many; a person's copy holds their newest ones. */
	public static final int LIMIT = 10_000;

	/** @param details the entry's small facts as recorded (never personal data beyond ids) */
	public record Entry(long seq, Instant recordedAt, String type, String actor, String clientId,
			Map<String, Object> details) {
	}

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final JdbcClient jdbc;

	AuditTrail(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** The entries whose subject is the user, oldest first (at most {@link #LIMIT}, the newest). */
	public List<Entry> about(String userId) {
		List<Entry> newestFirst = this.jdbc.sql("""
				SELECT seq, recorded_at, type, actor, client_id, details FROM audit_entry
				WHERE subject = :s ORDER BY seq DESC LIMIT """ + " " + LIMIT)
			.param("s", userId)
			.query((rs, i) -> new Entry(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
					rs.getString(3), rs.getString(4), rs.getString(5), parse(rs.getString(6))))
			.list();
		return newestFirst.reversed();
	}

	/** The user's newest entries of these types since {@code since}, newest first, at most {@code limit}. */
	public List<Entry> latest(String userId, java.util.Collection<String> types, Instant since, int limit) {
		return this.jdbc.sql("""
				SELECT seq, recorded_at, type, actor, client_id, details FROM audit_entry
				WHERE subject = :s AND type IN (:types) AND recorded_at >= :since
				ORDER BY seq DESC FETCH FIRST :limit ROWS ONLY""")
			.param("s", userId)
			.param("types", List.copyOf(types))
			.param("since", since.atOffset(java.time.ZoneOffset.UTC))
			.param("limit", limit)
			.query((rs, i) -> new Entry(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
					rs.getString(3), rs.getString(4), rs.getString(5), parse(rs.getString(6))))
			.list();
	}

	private static Map<String, Object> parse(String details) {
		return JSON.readValue(details, new TypeReference<Map<String, Object>>() {
		});
	}

}
