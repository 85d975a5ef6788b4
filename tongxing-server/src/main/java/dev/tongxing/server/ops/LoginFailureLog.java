package dev.tongxing.server.ops;

import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.audit.AuditTypes;
import dev.tongxing.server.login.LoginAttempted;
import dev.tongxing.server.login.LoginFailureCause;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps every failed login (method, app, cause, exact upstream error) for operators, for
 * {@code tongxing.ops.failures.retention}. The person stays out of it: no account, no address.
 */
@Component
class LoginFailureLog {

	private static final Logger log = LoggerFactory.getLogger(LoginFailureLog.class);

	private final JdbcClient jdbc;

	private final Clock clock;

	private final OpsProperties properties;

	/** Our insert on its own: a login's own transaction, if any, must not be aborted by it. */
	private final TransactionTemplate own;

	private final AuditLog audit;

	LoginFailureLog(JdbcClient jdbc, Clock clock, OpsProperties properties, PlatformTransactionManager transactions,
			AuditLog audit) {
		this.audit = audit;
		this.jdbc = jdbc;
		this.clock = clock;
		this.properties = properties;
		this.own = new TransactionTemplate(transactions);
		this.own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	record Failure(long id, Instant at, String method, String app, LoginFailureCause cause, String upstreamError) {
	}

	@EventListener
	void on(LoginAttempted attempt) {
		if (attempt.success() || attempt.cause() == null) {
			return;
		}
		try {
			this.own.executeWithoutResult(status -> this.jdbc.sql("""
					INSERT INTO ops_login_failure (occurred_at, method, app, cause, upstream_error)
					VALUES (:at, :method, :app, :cause, :error)""")
				.param("at", this.clock.instant().atOffset(ZoneOffset.UTC))
				.param("method", Labels.truncate(attempt.method(), 80))
				.param("app", Labels.truncate(attempt.app(), 80))
				.param("cause", attempt.cause().name())
				.param("error", Labels.truncate(attempt.upstreamError(), 300))
				.update());
		}
		catch (RuntimeException ex) { // recording must never fail the login
			log.warn("Could not record a failed login: {}", ex.toString());
		}
	}

	List<Failure> since(Instant since, int limit) {
		return this.jdbc.sql("""
				SELECT id, occurred_at, method, app, cause, upstream_error FROM ops_login_failure
				WHERE occurred_at >= :since ORDER BY occurred_at DESC, id DESC""")
			.param("since", since.atOffset(ZoneOffset.UTC))
			.query((rs, i) -> new Failure(rs.getLong("id"), rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
					rs.getString("method"), rs.getString("app"), LoginFailureCause.valueOf(rs.getString("cause")),
					rs.getString("upstream_error")))
			.list()
			.stream()
			.limit(limit)
			.toList();
	}

	/** Failures per cause in [from, to), for a method: what an incident is about. */
	Map<LoginFailureCause, Long> causes(String method, Instant from, Instant to) {
		Map<LoginFailureCause, Long> counts = new java.util.EnumMap<>(LoginFailureCause.class);
		this.jdbc.sql("""
				SELECT cause, COUNT(*) AS n FROM ops_login_failure
				WHERE method = :method AND occurred_at >= :from AND occurred_at < :to GROUP BY cause""")
			.param("method", method)
			.param("from", from.atOffset(ZoneOffset.UTC))
			.param("to", to.atOffset(ZoneOffset.UTC))
			.query((rs, i) -> Map.entry(LoginFailureCause.valueOf(rs.getString("cause")), rs.getLong("n")))
			.list()
			.forEach(e -> counts.put(e.getKey(), e.getValue()));
		return counts;
	}

	@Scheduled(initialDelayString = "PT5M", fixedDelayString = "PT1H")
	void purge() {
		Instant cutoff = this.clock.instant().minus(this.properties.failures().retention());
		this.own.executeWithoutResult(tx -> {
			int rows = this.jdbc.sql("DELETE FROM ops_login_failure WHERE occurred_at < :t")
				.param("t", cutoff.atOffset(ZoneOffset.UTC))
				.update();
			if (rows > 0) {
				this.audit.record(AuditEntry.of(AuditTypes.RETENTION_PURGED)
					.actor("system")
					.detail("store", "login-failures")
					.detail("rows", rows)
					.detail("cutoff", AuditEntry.time(cutoff))
					.detail("retention", this.properties.failures().retention().toString()));
			}
		});
	}

}
