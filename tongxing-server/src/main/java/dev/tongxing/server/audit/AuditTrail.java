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

	/**
	 * Which people a set of entries concerns (for selecting those a personal-data incident touched): the entries
	 * recorded in [from, to) with a subject, of one of {@code types} (any type but those starting with one of
	 * {@code exceptTypePrefixes} when empty) and, when {@code clientIds} is not empty, of one of those clients.
	 */
	public record SubjectQuery(Instant from, Instant to, java.util.Collection<String> types,
			java.util.Collection<String> clientIds, java.util.Collection<String> exceptTypePrefixes) {

		public SubjectQuery {
			if (from == null || to == null || !from.isBefore(to)) {
				throw new IllegalArgumentException("a subject query needs a window with from before to");
			}
			types = types == null ? List.of() : List.copyOf(types);
			clientIds = clientIds == null ? List.of() : List.copyOf(clientIds);
			exceptTypePrefixes = exceptTypePrefixes == null ? List.of() : List.copyOf(exceptTypePrefixes);
		}

	}

	/** A person a query found, with the first of their entries that matched (why they were found). */
	public record SubjectMatch(String subject, long seq, Instant recordedAt, String type, String clientId) {
	}

	/** How many different people the query finds. */
	public long countSubjects(SubjectQuery query) {
		var sql = this.jdbc.sql("SELECT COUNT(DISTINCT subject) FROM audit_entry WHERE " + where(query));
		return bind(sql, query).query(Long.class).single();
	}

	/**
	 * The people the query finds whose id sorts after {@code afterSubject} (all when null), in id order, at most
	 * {@code limit}: a stable order, so a selection can be resumed page by page.
	 */
	public List<SubjectMatch> subjects(SubjectQuery query, String afterSubject, int limit) {
		var sql = this.jdbc.sql("SELECT subject, MIN(seq) FROM audit_entry WHERE " + where(query)
				+ (afterSubject == null ? "" : " AND subject > :after")
				+ " GROUP BY subject ORDER BY subject FETCH FIRST :limit ROWS ONLY");
		sql = bind(sql, query).param("limit", limit);
		if (afterSubject != null) {
			sql = sql.param("after", afterSubject);
		}
		List<Long> firsts = sql.query((rs, i) -> rs.getLong(2)).list();
		if (firsts.isEmpty()) {
			return List.of();
		}
		return this.jdbc.sql("SELECT subject, seq, recorded_at, type, client_id FROM audit_entry WHERE seq IN (:seqs)"
				+ " ORDER BY subject")
			.param("seqs", firsts)
			.query((rs, i) -> new SubjectMatch(rs.getString(1), rs.getLong(2),
					rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getString(4), rs.getString(5)))
			.list();
	}

	private static String where(SubjectQuery query) {
		StringBuilder where = new StringBuilder("subject IS NOT NULL AND recorded_at >= :from AND recorded_at < :to");
		if (!query.types().isEmpty()) {
			where.append(" AND type IN (:types)");
		}
		else {
			for (int i = 0; i < query.exceptTypePrefixes().size(); i++) {
				where.append(" AND type NOT LIKE :except").append(i);
			}
		}
		if (!query.clientIds().isEmpty()) {
			where.append(" AND client_id IN (:clients)");
		}
		return where.toString();
	}

	private static JdbcClient.StatementSpec bind(JdbcClient.StatementSpec sql, SubjectQuery query) {
		sql = sql.param("from", query.from().atOffset(java.time.ZoneOffset.UTC))
			.param("to", query.to().atOffset(java.time.ZoneOffset.UTC));
		if (!query.types().isEmpty()) {
			sql = sql.param("types", query.types());
		}
		else {
			int i = 0;
			for (String prefix : query.exceptTypePrefixes()) {
				sql = sql.param("except" + i++, prefix.replace("%", "").replace("_", "") + "%");
			}
		}
		if (!query.clientIds().isEmpty()) {
			sql = sql.param("clients", query.clientIds());
		}
		return sql;
	}

	private static Map<String, Object> parse(String details) {
		return JSON.readValue(details, new TypeReference<Map<String, Object>>() {
		});
	}

}
