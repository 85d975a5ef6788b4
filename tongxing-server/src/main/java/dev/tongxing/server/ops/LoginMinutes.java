package dev.tongxing.server.ops;

import dev.tongxing.server.login.LoginAttempted;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Login outcomes per method and minute, in the database so that every node's logins count wherever the
 * incident detector runs. A person cancelling or mistyping says nothing about the method: not counted.
 */
@Component
class LoginMinutes {

	private static final Logger log = LoggerFactory.getLogger(LoginMinutes.class);

	private final JdbcClient jdbc;

	private final Clock clock;

	private final FailureCatalog catalog;

	/** Each statement on its own: a login's own transaction, if any, must not see (or be aborted by) ours. */
	private final TransactionTemplate own;

	LoginMinutes(JdbcClient jdbc, Clock clock, FailureCatalog catalog, PlatformTransactionManager transactions) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.catalog = catalog;
		this.own = new TransactionTemplate(transactions);
		this.own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	/** Attempts and failures of one method over some minutes. */
	record Tally(long attempts, long failures) {

		double successRate() {
			return this.attempts == 0 ? 1.0 : (double) (this.attempts - this.failures) / this.attempts;
		}
	}

	@EventListener
	void on(LoginAttempted attempt) {
		if (!attempt.success() && (attempt.cause() == null || this.catalog.personsOwnDoing(attempt.cause()))) {
			return;
		}
		try {
			add(Labels.truncate(attempt.method(), 80), this.clock.instant(), attempt.success() ? 0 : 1);
		}
		catch (RuntimeException ex) { // counting must never fail the login
			log.warn("Could not count a login: {}", ex.toString());
		}
	}

	void add(String method, Instant at, int failures) {
		OffsetDateTime minute = at.truncatedTo(ChronoUnit.MINUTES).atOffset(ZoneOffset.UTC);
		// update first, insert when the minute is new; a concurrent insert by another node loses and updates
		if (increment(method, minute, failures) == 0) {
			try {
				this.own.executeWithoutResult(status -> this.jdbc.sql("""
						INSERT INTO ops_login_minute (method, minute_start, attempts, failures)
						VALUES (:method, :minute, 1, :failures)""")
					.param("method", method)
					.param("minute", minute)
					.param("failures", failures)
					.update());
			}
			catch (DuplicateKeyException lostTheRace) {
				increment(method, minute, failures);
			}
		}
	}

	private int increment(String method, OffsetDateTime minute, int failures) {
		return this.own.execute(status -> this.jdbc.sql("""
				UPDATE ops_login_minute SET attempts = attempts + 1, failures = failures + :failures
				WHERE method = :method AND minute_start = :minute""")
			.param("method", method)
			.param("minute", minute)
			.param("failures", failures)
			.update());
	}

	/** Every method's tally over the minutes that started after {@code after}, up to now. */
	Map<String, Tally> since(Instant after) {
		Map<String, Tally> tallies = new LinkedHashMap<>();
		this.jdbc.sql("""
				SELECT method, SUM(attempts) AS attempts, SUM(failures) AS failures FROM ops_login_minute
				WHERE minute_start > :after AND minute_start <= :now GROUP BY method ORDER BY method""")
			.param("after", after.atOffset(ZoneOffset.UTC))
			// bounded above too: a node whose clock lags must not count minutes it has not reached
			.param("now", this.clock.instant().atOffset(ZoneOffset.UTC))
			.query((rs, i) -> Map.entry(rs.getString("method"), new Tally(rs.getLong("attempts"), rs.getLong("failures"))))
			.list()
			.forEach(e -> tallies.put(e.getKey(), e.getValue()));
		return tallies;
	}

	/** The minutes are only read for the last few; a day is plenty for looking back by hand. */
	@Scheduled(initialDelayString = "PT5M", fixedDelayString = "PT1H")
	void purge() {
		this.jdbc.sql("DELETE FROM ops_login_minute WHERE minute_start < :t")
			.param("t", this.clock.instant().minus(java.time.Duration.ofDays(2)).atOffset(ZoneOffset.UTC))
			.update();
	}

}
