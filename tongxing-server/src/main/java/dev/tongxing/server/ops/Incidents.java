package dev.tongxing.server.ops;

import dev.tongxing.server.login.LoginFailureCause;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Incidents and their timelines. Safe with many nodes: one open incident per method is a unique
 * constraint, and resolving is a conditional update, so two nodes noticing the same thing record it once.
 */
@Component
class Incidents {

	private final JdbcClient jdbc;

	Incidents(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** @return the new incident, or empty when the method already has an open one */
	Optional<Incident> open(String method, LoginFailureCause cause, Instant at) {
		return open(method, cause, at, Incident.LOGINS);
	}

	/**
	 * @param openedBy {@link Incident#LOGINS} or {@link Incident#PROBES}
	 * @return the new incident, or empty when the method already has an open one
	 */
	Optional<Incident> open(String method, LoginFailureCause cause, Instant at, String openedBy) {
		try {
			this.jdbc.sql("""
					INSERT INTO ops_incident (method, open_method, cause, opened_at, opened_by)
					VALUES (:method, :method, :cause, :at, :by)""")
				.param("method", method)
				.param("cause", cause == null ? null : cause.name())
				.param("at", at.atOffset(ZoneOffset.UTC))
				.param("by", openedBy)
				.update();
		}
		catch (DuplicateKeyException alreadyOpen) {
			return Optional.empty();
		}
		Incident incident = openFor(method).orElseThrow();
		addUpdate(incident.id(), "opened", null, at);
		return find(incident.id());
	}

	/** @return whether this call resolved it (false when it was resolved already) */
	boolean resolve(long id, Instant at) {
		int resolved = this.jdbc.sql("""
				UPDATE ops_incident SET resolved_at = :at, open_method = NULL
				WHERE id = :id AND open_method IS NOT NULL""")
			.param("at", at.atOffset(ZoneOffset.UTC))
			.param("id", id)
			.update();
		if (resolved == 1) {
			addUpdate(id, "resolved", null, at);
		}
		return resolved == 1;
	}

	void addUpdate(long id, String kind, String message, Instant at) {
		this.jdbc.sql("""
				INSERT INTO ops_incident_update (incident_id, posted_at, kind, message)
				VALUES (:id, :at, :kind, :message)""")
			.param("id", id)
			.param("at", at.atOffset(ZoneOffset.UTC))
			.param("kind", kind)
			.param("message", message)
			.update();
	}

	Optional<Incident> openFor(String method) {
		return query("WHERE open_method = :p", method).stream().findFirst();
	}

	List<Incident> allOpen() {
		return query("WHERE open_method IS NOT NULL", null);
	}

	/** How many incidents are open now (of every method and component). */
	long countOpen() {
		return this.jdbc.sql("SELECT COUNT(*) FROM ops_incident WHERE open_method IS NOT NULL").query(Long.class).single();
	}

	Optional<Incident> find(long id) {
		return query("WHERE id = :p", id).stream().findFirst();
	}

	/** Incidents open at any time since {@code since}, newest first. */
	List<Incident> since(Instant since) {
		return query("WHERE resolved_at IS NULL OR resolved_at >= :p", since.atOffset(ZoneOffset.UTC));
	}

	private List<Incident> query(String where, Object param) {
		var sql = this.jdbc.sql("SELECT id, method, cause, opened_at, resolved_at, opened_by FROM ops_incident " + where
				+ " ORDER BY opened_at DESC, id DESC");
		if (param != null) {
			sql = sql.param("p", param);
		}
		List<Incident> bare = sql.query((rs, i) -> new Incident(rs.getLong("id"), rs.getString("method"),
				rs.getString("cause") == null ? null : LoginFailureCause.valueOf(rs.getString("cause")),
				rs.getObject("opened_at", OffsetDateTime.class).toInstant(),
				rs.getObject("resolved_at", OffsetDateTime.class) == null ? null
						: rs.getObject("resolved_at", OffsetDateTime.class).toInstant(),
				rs.getString("opened_by"), List.of()))
			.list();
		if (bare.isEmpty()) {
			return bare;
		}
		Map<Long, List<Incident.Update>> updates = new LinkedHashMap<>();
		this.jdbc.sql("""
				SELECT incident_id, posted_at, kind, message FROM ops_incident_update
				WHERE incident_id IN (:ids) ORDER BY posted_at, id""")
			.param("ids", bare.stream().map(Incident::id).toList())
			.query((rs, i) -> {
				updates.computeIfAbsent(rs.getLong("incident_id"), k -> new ArrayList<>())
					.add(new Incident.Update(rs.getObject("posted_at", OffsetDateTime.class).toInstant(),
							rs.getString("kind"), rs.getString("message")));
				return null;
			})
			.list();
		return bare.stream()
			.map(i -> new Incident(i.id(), i.method(), i.cause(), i.openedAt(), i.resolvedAt(), i.openedBy(),
					List.copyOf(updates.getOrDefault(i.id(), List.of()))))
			.toList();
	}

}
