package dev.tongxing.bench;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code analytics-queries}: how fast the operator's analytics answer over a long range with a year of data
 * (issue 14: a 90-day range in under 200 ms, a year of roll-ups, 1 M people). Seeds a PostgreSQL schema with the
 * gateway's own seeding command ({@code AnalyticsSeeder}, as {@code analytics seed} does), starts the gateway on
 * it, and times each answer of the JSON API over HTTP, end to end as an operator's script sees it: the query,
 * the JSON and the operator's Basic authentication. Each answer for the long range is set against the same
 * answer for one day, measured in the same run (its ratio shows what the range costs), and against the target.
 */
final class AnalyticsQueryBench {

	static final String OPERATOR = "bench-operator";

	static final String OPERATOR_PASSWORD = "bench-operator-password";

	/** The answers an operator asks for; each is timed for the long range and for one day. */
	static final List<String> QUERIES = List.of("logins?group-by=method", "logins?group-by=app",
			"logins?group-by=client", "logins?group-by=platform", "logins?group-by=day", "funnel?", "retention?",
			"people?", "sms?");

	private AnalyticsQueryBench() {
	}

	record Timing(String query, int rangeDays, double p50Ms, double p99Ms, double maxMs, int rows, int bytes) {
	}

	static int run(Map<String, String> o, PrintStream log) throws Exception {
		int people = Integer.parseInt(o.getOrDefault("people", "1000000"));
		int days = Integer.parseInt(o.getOrDefault("days", "365"));
		int range = Integer.parseInt(o.getOrDefault("range-days", "90"));
		int repeat = Integer.parseInt(o.getOrDefault("repeat", "30"));
		double targetMs = Double.parseDouble(o.getOrDefault("target-ms", "200"));
		if (range < 1 || range > days || repeat < 5) {
			throw new IllegalArgumentException("--range-days must be between 1 and --days, --repeat at least 5");
		}
		String kept = o.get("schema");
		try (BenchDatabase database = kept == null ? BenchDatabase.freshPostgres() : BenchDatabase.postgres(kept)) {
			Map<String, String> extra = new LinkedHashMap<>();
			extra.put("tongxing.admin.username", OPERATOR);
			extra.put("tongxing.admin.password", "{noop}" + OPERATOR_PASSWORD);
			try (Gateway gateway = Gateway.start(extra, new Gateway.Needs(false, false, false, false), database)) {
				long seededPeople = count(database, "SELECT count(*) FROM analytics_person");
				if (seededPeople == 0) {
					long t0 = System.nanoTime();
					var seeded = gateway.context().getBean(dev.tongxing.server.analytics.AnalyticsSeeder.class)
						.seed(people, days, 1);
					log.printf(Locale.ROOT, "seeded %,d people and %,d + %,d + %,d + %,d roll-up rows over %d days in %.0f s%n",
							seeded.people(), seeded.loginRows(), seeded.causeRows(), seeded.latencyRows(),
							seeded.funnelRows(), days, (System.nanoTime() - t0) / 1e9);
				}
				else {
					log.printf(Locale.ROOT, "schema %s already seeded (%,d people): measuring it as it is%n",
							database.schema(), seededPeople);
				}
				analyze(database);
				long hourRows = count(database, "SELECT count(*) FROM analytics_login_hour")
						+ count(database, "SELECT count(*) FROM analytics_cause_hour")
						+ count(database, "SELECT count(*) FROM analytics_latency_hour")
						+ count(database, "SELECT count(*) FROM analytics_funnel_hour");
				long dayRows = count(database, "SELECT count(*) FROM analytics_login_day")
						+ count(database, "SELECT count(*) FROM analytics_cause_day")
						+ count(database, "SELECT count(*) FROM analytics_latency_day")
						+ count(database, "SELECT count(*) FROM analytics_funnel_day");
				long cohortRows = count(database, "SELECT COALESCE(SUM(people), 0) FROM analytics_cohort_day");
				LocalDate today = LocalDate.now(ZoneOffset.UTC);
				HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
				String auth = "Basic " + Base64.getEncoder()
					.encodeToString((OPERATOR + ":" + OPERATOR_PASSWORD).getBytes(StandardCharsets.UTF_8));
				List<Timing> timings = new ArrayList<>();
				for (String query : QUERIES) {
					for (int span : new int[] { 1, range }) {
						timings.add(time(http, auth, gateway.baseUrl(), query, today.minusDays(span - 1), today, span,
								repeat));
					}
				}
				return report(o, log, timings, range, targetMs, days, hourRows, dayRows, cohortRows, repeat);
			}
		}
	}

	private static Timing time(HttpClient http, String auth, String base, String query, LocalDate from, LocalDate to,
			int span, int repeat) throws Exception {
		String sep = query.endsWith("?") ? "" : "&";
		URI uri = URI.create(base + "/admin/api/analytics/" + query + sep + "from=" + from + "&to=" + to);
		HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", auth).timeout(Duration.ofSeconds(60))
			.GET().build();
		double[] ms = new double[repeat];
		int bytes = 0;
		int rows = 0;
		for (int i = -3; i < repeat; i++) { // three unmeasured calls warm the path up
			long start = System.nanoTime();
			HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
			long elapsed = System.nanoTime() - start;
			if (response.statusCode() != 200) {
				throw new IllegalStateException(uri + " answered " + response.statusCode() + ": " + response.body());
			}
			if (i >= 0) {
				ms[i] = elapsed / 1e6;
			}
			bytes = response.body().length();
			rows = countRows(response.body());
		}
		Arrays.sort(ms);
		return new Timing(query, span, quantile(ms, 0.5), quantile(ms, 0.99), ms[ms.length - 1], rows, bytes);
	}

	/** Rows of an answer {@code {"rows":[{"key":…},…]}}: the number of {@code "key":} members. */
	private static int countRows(String body) {
		int n = 0;
		for (int i = body.indexOf("\"key\":"); i >= 0; i = body.indexOf("\"key\":", i + 1)) {
			n++;
		}
		return n;
	}

	private static double quantile(double[] sorted, double q) {
		return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
	}

	private static int report(Map<String, String> o, PrintStream log, List<Timing> timings, int range, double targetMs,
			int days, long hourRows, long dayRows, long cohortRows, int repeat) throws Exception {
		log.printf(Locale.ROOT, "%n%,d hour and %,d day roll-up rows over %d days, %,d people in the cohorts; each answer %d times after 3 warm-up calls%n",
				hourRows, dayRows, days, cohortRows, repeat);
		log.printf(Locale.ROOT, "%-26s %6s %9s %9s %9s %6s %11s %9s  %s%n", "answer", "days", "p50 ms", "p99 ms",
				"max ms", "rows", "vs 1 day", "vs target", "target");
		List<Map<String, Object>> json = new ArrayList<>();
		boolean met = true;
		Map<String, Timing> oneDay = new LinkedHashMap<>();
		for (Timing t : timings) {
			if (t.rangeDays() == 1) {
				oneDay.put(t.query(), t);
			}
		}
		for (Timing t : timings) {
			boolean longRange = t.rangeDays() == range;
			double vsOneDay = t.p50Ms() / oneDay.get(t.query()).p50Ms();
			double vsTarget = t.p99Ms() / targetMs;
			boolean ok = !longRange || t.p99Ms() < targetMs;
			met &= ok;
			log.printf(Locale.ROOT, "%-26s %6d %9.1f %9.1f %9.1f %6d %10.2fx %9.2f  %s%n", t.query().replace("?", " "),
					t.rangeDays(), t.p50Ms(), t.p99Ms(), t.maxMs(), t.rows(), vsOneDay, vsTarget,
					longRange ? (ok ? "p99 < " + (int) targetMs + " ms (met)" : "p99 < " + (int) targetMs + " ms (MISSED)") : "");
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("answer", t.query());
			row.put("rangeDays", t.rangeDays());
			row.put("p50Ms", t.p50Ms());
			row.put("p99Ms", t.p99Ms());
			row.put("maxMs", t.maxMs());
			row.put("rows", t.rows());
			row.put("bytes", t.bytes());
			row.put("p50RatioToOneDay", vsOneDay);
			row.put("p99RatioToTarget", vsTarget);
			json.add(row);
		}
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("days", days);
		result.put("rangeDays", range);
		result.put("hourRollupRows", hourRows);
		result.put("dayRollupRows", dayRows);
		result.put("cohortPeople", cohortRows);
		result.put("repeat", repeat);
		result.put("targetMs", targetMs);
		result.put("met", met);
		result.put("answers", com.nimbusds.jose.util.JSONArrayUtils.toJSONString(json)); // written as it is: JSON
		NodeCommands.writeResult(o, "analytics-queries", result);
		return met ? 0 : 1;
	}

	private static long count(BenchDatabase database, String sql) throws Exception {
		try (Connection c = connect(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
			rs.next();
			return rs.getLong(1);
		}
	}

	/** Fresh planner statistics after a bulk load or a migration, as autovacuum would give them a little later. */
	private static void analyze(BenchDatabase database) throws Exception {
		try (Connection c = connect(database); Statement s = c.createStatement()) {
			for (String table : List.of("analytics_login_day", "analytics_cause_day", "analytics_latency_day",
					"analytics_funnel_day", "analytics_people_day", "analytics_sms_day", "analytics_cohort_day")) {
				s.execute("ANALYZE " + table);
			}
		}
	}

	private static Connection connect(BenchDatabase database) throws Exception {
		return DriverManager.getConnection(BenchDatabase.PG_URL + "?currentSchema=" + database.schema(),
				BenchDatabase.PG_USER, BenchDatabase.PG_PASSWORD);
	}

}
