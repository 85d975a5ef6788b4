package dev.tongxing.server.analytics;

import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.audit.AuditTypes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Adds each node's in-memory counts to the roll-up tables: one transaction per flush, every row added to
 * ({@code x = x + :n}), never overwritten, so any number of nodes add up. When another node inserts the same
 * new row first the whole flush is rolled back and tried again (the row then exists and is added to); when
 * the database cannot be reached the counts are kept for the next flush. A node that crashes loses what it
 * counted since its last flush (at most {@code tongxing.analytics.flush-interval}).
 */
@Component
class RollupStore {

	private static final Logger log = LoggerFactory.getLogger(RollupStore.class);

	private final JdbcClient jdbc;

	private final LoginAnalytics analytics;

	private final Clock clock;

	private final AnalyticsProperties properties;

	private final TransactionTemplate own;

	private final ObjectProvider<MeterRegistry> meters;

	private final String smsProvider;

	private final AuditLog audit;

	private final CohortCounts cohorts;

	private double smsCounted;

	RollupStore(JdbcClient jdbc, LoginAnalytics analytics, Clock clock, AnalyticsProperties properties,
			PlatformTransactionManager transactions, ObjectProvider<MeterRegistry> meters,
			@Value("${tongxing.sms.sender:log}") String smsProvider, AuditLog audit, CohortCounts cohorts) {
		this.audit = audit;
		this.cohorts = cohorts;
		this.jdbc = jdbc;
		this.analytics = analytics;
		this.clock = clock;
		this.properties = properties;
		this.meters = meters;
		this.smsProvider = smsProvider;
		this.own = new TransactionTemplate(transactions);
		this.own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	@Scheduled(initialDelayString = "${tongxing.analytics.flush-interval:10s}",
			fixedDelayString = "${tongxing.analytics.flush-interval:10s}")
	synchronized void flush() {
		countSms();
		PendingCounts counts = this.analytics.drain();
		if (counts.isEmpty()) {
			return;
		}
		for (int attempt = 1;; attempt++) {
			try {
				this.own.executeWithoutResult(status -> write(counts));
				return;
			}
			catch (DuplicateKeyException | org.springframework.dao.ConcurrencyFailureException lostTheRace) {
				if (attempt == 5) {
					log.warn("Analytics flush kept losing insert races; kept for the next flush");
					this.analytics.restore(counts);
					return;
				}
			}
			catch (RuntimeException ex) {
				log.warn("Analytics flush failed, kept for the next flush: {}", ex.toString());
				this.analytics.restore(counts);
				return;
			}
		}
	}

	/** A node shutting down in order adds what it holds first. */
	@jakarta.annotation.PreDestroy
	void flushOnShutdown() {
		try {
			flush();
		}
		catch (RuntimeException ex) {
			log.warn("Analytics counts lost at shutdown: {}", ex.toString());
		}
	}

	/** The SMS meter's messages sent since the last flush, priced at the configured sender. */
	private void countSms() {
		MeterRegistry registry = this.meters.getIfAvailable();
		if (registry == null) {
			return;
		}
		double total = registry.find("tongxing.sms.sent").tag("outcome", "sent").counters().stream()
			.mapToDouble(Counter::count).sum();
		long delta = (long) (total - this.smsCounted);
		if (delta > 0) {
			this.smsCounted += delta;
			this.analytics.smsSent(this.clock.instant().truncatedTo(ChronoUnit.HOURS), this.smsProvider, delta);
		}
	}

	/** Every count goes to its hour's row and its (UTC) day's row, in the flush's one transaction. */
	private void write(PendingCounts counts) {
		counts.logins.forEach((d, t) -> add("""
				UPDATE analytics_login_day SET attempts = attempts + :a, successes = successes + :s
				WHERE day_start = :day AND method = :m AND app = :app AND client = :c AND platform = :p""", """
				INSERT INTO analytics_login_day (day_start, method, app, client, platform, attempts, successes)
				VALUES (:day, :m, :app, :c, :p, :a, :s)""", dims(d).param("a", t.attempts).param("s", t.successes)));
		counts.causes.forEach((k, n) -> add("""
				UPDATE analytics_cause_day SET failures = failures + :n WHERE day_start = :day AND method = :m
				AND app = :app AND client = :c AND platform = :p AND cause = :cause""", """
				INSERT INTO analytics_cause_day (day_start, method, app, client, platform, cause, failures)
				VALUES (:day, :m, :app, :c, :p, :cause, :n)""", dims(k.dims()).param("cause", k.cause()).param("n", n)));
		counts.latency.forEach((k, n) -> add("""
				UPDATE analytics_latency_day SET samples = samples + :n WHERE day_start = :day AND method = :m
				AND app = :app AND client = :c AND platform = :p AND bin = :bin""", """
				INSERT INTO analytics_latency_day (day_start, method, app, client, platform, bin, samples)
				VALUES (:day, :m, :app, :c, :p, :bin, :n)""", dims(k.dims()).param("bin", k.bin()).param("n", n)));
		counts.funnel.forEach((k, n) -> add("""
				UPDATE analytics_funnel_day SET reached = reached + :n
				WHERE day_start = :day AND client = :c AND platform = :p AND step = :step""", """
				INSERT INTO analytics_funnel_day (day_start, client, platform, step, reached)
				VALUES (:day, :c, :p, :step, :n)""", new Params().param("day", day(k.hour())).param("c", k.client())
			.param("p", k.platform()).param("step", k.step()).param("n", n)));
		counts.sms.forEach((k, n) -> add("""
				UPDATE analytics_sms_day SET sent = sent + :n WHERE day_start = :day AND provider = :provider""", """
				INSERT INTO analytics_sms_day (day_start, provider, sent) VALUES (:day, :provider, :n)""",
				new Params().param("day", day(k.hour())).param("provider", k.provider()).param("n", n)));
		counts.logins.forEach((d, t) -> add("""
				UPDATE analytics_login_hour SET attempts = attempts + :a, successes = successes + :s
				WHERE hour_start = :h AND method = :m AND app = :app AND client = :c AND platform = :p""", """
				INSERT INTO analytics_login_hour (hour_start, method, app, client, platform, attempts, successes)
				VALUES (:h, :m, :app, :c, :p, :a, :s)""", dims(d).param("a", t.attempts).param("s", t.successes)));
		counts.causes.forEach((k, n) -> add("""
				UPDATE analytics_cause_hour SET failures = failures + :n WHERE hour_start = :h AND method = :m
				AND app = :app AND client = :c AND platform = :p AND cause = :cause""", """
				INSERT INTO analytics_cause_hour (hour_start, method, app, client, platform, cause, failures)
				VALUES (:h, :m, :app, :c, :p, :cause, :n)""", dims(k.dims()).param("cause", k.cause()).param("n", n)));
		counts.latency.forEach((k, n) -> add("""
				UPDATE analytics_latency_hour SET samples = samples + :n WHERE hour_start = :h AND method = :m
				AND app = :app AND client = :c AND platform = :p AND bin = :bin""", """
				INSERT INTO analytics_latency_hour (hour_start, method, app, client, platform, bin, samples)
				VALUES (:h, :m, :app, :c, :p, :bin, :n)""", dims(k.dims()).param("bin", k.bin()).param("n", n)));
		counts.funnel.forEach((k, n) -> add("""
				UPDATE analytics_funnel_hour SET reached = reached + :n
				WHERE hour_start = :h AND client = :c AND platform = :p AND step = :step""", """
				INSERT INTO analytics_funnel_hour (hour_start, client, platform, step, reached)
				VALUES (:h, :c, :p, :step, :n)""", new Params().param("h", utc(k.hour())).param("c", k.client())
			.param("p", k.platform()).param("step", k.step()).param("n", n)));
		counts.sms.forEach((k, n) -> add("""
				UPDATE analytics_sms_hour SET sent = sent + :n WHERE hour_start = :h AND provider = :provider""", """
				INSERT INTO analytics_sms_hour (hour_start, provider, sent) VALUES (:h, :provider, :n)""",
				new Params().param("h", utc(k.hour())).param("provider", k.provider()).param("n", n)));
		Map<String, long[]> people = new HashMap<>(); // day|method → new, returning
		// in one order on every node, so two flushes wait for each other rather than deadlock
		List<PendingCounts.Seen> seens = new ArrayList<>(counts.seen.values());
		seens.sort(java.util.Comparator.comparing(PendingCounts.Seen::pid).thenComparing(PendingCounts.Seen::day));
		for (PendingCounts.Seen seen : seens) {
			switch (see(seen.pid(), seen.day().toEpochDay(), seen.method())) {
				case NEW -> people.computeIfAbsent(seen.day() + "|" + seen.method(), k -> new long[2])[0]++;
				case RETURNING -> people.computeIfAbsent(seen.day() + "|" + seen.method(), k -> new long[2])[1]++;
				case SEEN_ALREADY -> {
				}
			}
		}
		people.forEach((key, n) -> {
			int bar = key.indexOf('|');
			add("""
					UPDATE analytics_people_day SET new_people = new_people + :n, returning_people = returning_people + :r
					WHERE day_start = :d AND method = :m""", """
					INSERT INTO analytics_people_day (day_start, method, new_people, returning_people) VALUES (:d, :m, :n, :r)""",
					new Params().param("d", LocalDate.parse(key.substring(0, bar))).param("m", key.substring(bar + 1))
						.param("n", n[0]).param("r", n[1]));
		});
	}

	private enum Seen {

		NEW, RETURNING, SEEN_ALREADY

	}

	/**
	 * A person seen on a day: a new cohort member, or their last day moved on (and their cohort's counts of
	 * people who came back with it). The move is a compare-and-set on the last day read, so two nodes seeing
	 * the same person count each threshold crossed once.
	 */
	private Seen see(String pid, long day, String method) {
		while (true) {
			record Person(long firstDay, String firstMethod, long lastDay) {
			}
			var person = this.jdbc.sql("SELECT first_day, first_method, last_day FROM analytics_person WHERE pid = :pid")
				.param("pid", pid)
				.query((rs, i) -> new Person(rs.getLong(1), rs.getString(2), rs.getLong(3)))
				.optional();
			if (person.isEmpty()) {
				// another node inserting the same person first fails this flush, which is then tried again
				this.jdbc.sql("""
						INSERT INTO analytics_person (pid, first_day, first_method, last_day) VALUES (:pid, :d, :m, :d)""")
					.param("pid", pid).param("d", day).param("m", method).update();
				this.cohorts.arrived(day, method);
				return Seen.NEW;
			}
			Person p = person.get();
			if (p.lastDay() >= day) {
				return Seen.SEEN_ALREADY;
			}
			if (this.jdbc.sql("UPDATE analytics_person SET last_day = :d WHERE pid = :pid AND last_day = :was")
				.param("d", day).param("pid", pid).param("was", p.lastDay()).update() == 1) {
				this.cohorts.movedOn(p.firstDay(), p.firstMethod(), p.lastDay(), day);
				return Seen.RETURNING;
			}
			// another node moved it meanwhile: read it again
		}
	}

	/** Named parameters for both statements of an additive upsert. */
	static final class Params {

		final Map<String, Object> values = new HashMap<>();

		Params param(String name, Object value) {
			this.values.put(name, value);
			return this;
		}

	}

	private static Params dims(PendingCounts.Dims d) {
		return new Params().param("h", utc(d.hour())).param("day", day(d.hour())).param("m", d.method()).param("app", d.app())
			.param("c", d.client()).param("p", d.platform());
	}

	private void add(String update, String insert, Params params) {
		if (this.jdbc.sql(update).params(params.values).update() == 0) {
			this.jdbc.sql(insert).params(params.values).update();
		}
	}

	static OffsetDateTime utc(Instant at) {
		return at.atOffset(ZoneOffset.UTC);
	}

	/** The UTC day of an hour: the key of the day roll-ups, as every answer's range is in UTC days. */
	static LocalDate day(Instant hour) {
		return utc(hour).toLocalDate();
	}

	/** Roll-ups and cohort rows older than {@code tongxing.analytics.retention}. */
	@Scheduled(initialDelayString = "PT7M", fixedDelayString = "PT6H")
	void purge() {
		Instant cutoff = this.clock.instant().minus(this.properties.retention());
		OffsetDateTime hour = utc(cutoff);
		LocalDate day = hour.toLocalDate();
		this.own.executeWithoutResult(tx -> {
			int rows = 0;
			for (String table : new String[] { "analytics_login_hour", "analytics_cause_hour", "analytics_latency_hour",
					"analytics_funnel_hour", "analytics_sms_hour" }) {
				rows += this.jdbc.sql("DELETE FROM " + table + " WHERE hour_start < :t").param("t", hour).update();
			}
			for (String table : new String[] { "analytics_login_day", "analytics_cause_day", "analytics_latency_day",
					"analytics_funnel_day", "analytics_sms_day", "analytics_people_day" }) {
				rows += this.jdbc.sql("DELETE FROM " + table + " WHERE day_start < :d").param("d", day).update();
			}
			// a person not seen for the retention period leaves the cohorts: first their counts, then their rows
			// (locked as read, so a flush seeing one of them again waits, and then counts them as new)
			Map<String, long[]> leaving = new HashMap<>(); // first day|method → people, returned after 1, 7, 30 days
			this.jdbc.sql("SELECT first_day, first_method, last_day FROM analytics_person WHERE last_day < :d FOR UPDATE")
				.param("d", day.toEpochDay())
				.query(rs -> {
					long first = rs.getLong(1);
					long last = rs.getLong(3);
					long[] n = leaving.computeIfAbsent(first + "|" + rs.getString(2), k -> new long[4]);
					n[0]++;
					for (int i = 0; i < CohortCounts.THRESHOLDS.length; i++) {
						n[i + 1] += last >= first + CohortCounts.THRESHOLDS[i] ? 1 : 0;
					}
				});
			leaving.forEach((key, n) -> {
				int bar = key.indexOf('|');
				this.cohorts.left(Long.parseLong(key.substring(0, bar)), key.substring(bar + 1), n[0],
						new long[] { n[1], n[2], n[3] });
			});
			int people = this.jdbc.sql("DELETE FROM analytics_person WHERE last_day < :d")
				.param("d", day.toEpochDay())
				.update();
			if (rows + people > 0) {
				this.audit.record(AuditEntry.of(AuditTypes.RETENTION_PURGED)
					.actor("system")
					.detail("store", "analytics")
					.detail("rows", rows)
					.detail("cohortPeople", people)
					.detail("cutoff", AuditEntry.time(cutoff))
					.detail("retention", this.properties.retention().toString()));
			}
		});
	}

}
