package dev.tongxing.server.analytics;

import dev.tongxing.server.login.LoginFailureCause;
import dev.tongxing.server.ops.FailureCatalog;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.MissingServletRequestParameterException;

/**
 * {@code /admin/api/analytics/*}: the login analytics as JSON ({@code {"rows":[…]}}) or CSV ({@code format=csv}
 * or a {@code .csv} suffix), behind the {@code /admin/**} operator authentication. Every answer is read from
 * the roll-ups.
 */
@RestController
class AnalyticsApiController {

	static final int MAX_DAYS = 400;

	private final AnalyticsQueries queries;

	private final FailureCatalog catalog;

	private final MessageSource messages;

	private final AnalyticsProperties properties;

	AnalyticsApiController(AnalyticsQueries queries, FailureCatalog catalog, MessageSource messages,
			AnalyticsProperties properties) {
		this.queries = queries;
		this.catalog = catalog;
		this.messages = messages;
		this.properties = properties;
	}

	static final class BadParameter extends RuntimeException {

		BadParameter(String message) {
			super(message);
		}

	}

	record Range(LocalDate from, LocalDate to) {

		static Range of(String from, String to) {
			if (from == null || to == null) {
				throw new BadParameter("from and to are required, as YYYY-MM-DD");
			}
			LocalDate f = day("from", from);
			LocalDate t = day("to", to);
			if (t.isBefore(f)) {
				throw new BadParameter("to must not be before from");
			}
			if (ChronoUnit.DAYS.between(f, t) >= MAX_DAYS) {
				throw new BadParameter("a range covers at most " + MAX_DAYS + " days");
			}
			return new Range(f, t);
		}

		private static LocalDate day(String name, String value) {
			try {
				if (!value.matches("\\d{4}-\\d{2}-\\d{2}")) {
					throw new DateTimeParseException("shape", value, 0);
				}
				return LocalDate.parse(value);
			}
			catch (DateTimeParseException ex) {
				throw new BadParameter(name + " must be a date as YYYY-MM-DD");
			}
		}
	}

	private static boolean csv(String format, boolean suffix) {
		if (suffix) {
			return true;
		}
		if (format == null || format.equals("json")) {
			return false;
		}
		if (format.equals("csv")) {
			return true;
		}
		throw new BadParameter("format must be json or csv");
	}

	@GetMapping({ "/admin/api/analytics/logins", "/admin/api/analytics/logins.csv" })
	ResponseEntity<?> logins(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
			@RequestParam(name = "group-by", defaultValue = "method") String groupBy,
			@RequestParam(required = false) String format, jakarta.servlet.http.HttpServletRequest request,
			Locale locale) {
		boolean csv = csv(format, request.getRequestURI().endsWith(".csv"));
		Range range = Range.of(from, to);
		AnalyticsQueries.GroupBy by;
		try {
			by = AnalyticsQueries.GroupBy.valueOf(groupBy.toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new BadParameter("group-by must be one of method, app, client, platform, day");
		}
		List<Map<String, Object>> rows = new ArrayList<>();
		for (AnalyticsQueries.LoginRow r : this.queries.logins(range.from(), range.to(), by)) {
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("key", r.key());
			row.put("attempts", r.attempts());
			row.put("successes", r.successes());
			row.put("success_rate", r.successRate());
			row.put("p50_ms", r.p50Ms());
			row.put("p95_ms", r.p95Ms());
			if (!csv) {
				row.put("failure_causes", r.causes().stream().map(c -> cause(c, locale)).toList());
			}
			rows.add(row);
		}
		return answer("logins", rows, csv, List.of("key", "attempts", "successes", "success_rate", "p50_ms", "p95_ms"),
				Map.of("success_target", this.properties.successTarget()));
	}

	private Map<String, Object> cause(AnalyticsQueries.CauseCount c, Locale locale) {
		Map<String, Object> cause = new LinkedHashMap<>();
		cause.put("method", c.method());
		cause.put("cause", c.cause());
		cause.put("failures", c.failures());
		LoginFailureCause known = null;
		try {
			known = LoginFailureCause.valueOf(c.cause().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException unknown) {
			// a cause no longer in the taxonomy: counted, without advice
		}
		if (known != null) {
			var explanation = this.catalog.explain(c.method(), known, null);
			cause.put("explanation", this.messages.getMessage(explanation.explanationKey(), null, explanation.explanationKey(), locale));
			cause.put("advice", this.messages.getMessage(explanation.actionKey(), null, explanation.actionKey(), locale));
		}
		return cause;
	}

	@GetMapping({ "/admin/api/analytics/funnel", "/admin/api/analytics/funnel.csv" })
	ResponseEntity<?> funnel(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
			@RequestParam(required = false) String client, @RequestParam(required = false) String platform,
			@RequestParam(required = false) String format, jakarta.servlet.http.HttpServletRequest request) {
		boolean csv = csv(format, request.getRequestURI().endsWith(".csv"));
		Range range = Range.of(from, to);
		if (platform != null && !Platform.known(platform)) {
			throw new BadParameter("platform must be one of web, wechat-browser, app, mini-program");
		}
		List<Map<String, Object>> rows = new ArrayList<>();
		for (AnalyticsQueries.StepRow r : this.queries.funnel(range.from(), range.to(), client, platform)) {
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("key", r.key());
			row.put("reached", r.reached());
			row.put("rate_from_previous", r.rateFromPrevious());
			row.put("rate_from_first", r.rateFromFirst());
			rows.add(row);
		}
		return answer("funnel", rows, csv, List.of("key", "reached", "rate_from_previous", "rate_from_first"), Map.of());
	}

	@GetMapping({ "/admin/api/analytics/retention", "/admin/api/analytics/retention.csv" })
	ResponseEntity<?> retention(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
			@RequestParam(required = false) String format, jakarta.servlet.http.HttpServletRequest request) {
		boolean csv = csv(format, request.getRequestURI().endsWith(".csv"));
		Range range = Range.of(from, to);
		List<Map<String, Object>> rows = new ArrayList<>();
		for (AnalyticsQueries.CohortRow r : this.queries.retention(range.from(), range.to())) {
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("key", r.key());
			row.put("people", r.people());
			put(row, "1d", r.eligible1d(), r.returned1d());
			put(row, "7d", r.eligible7d(), r.returned7d());
			put(row, "30d", r.eligible30d(), r.returned30d());
			rows.add(row);
		}
		return answer("retention", rows, csv, List.of("key", "people", "eligible_1d", "returned_1d", "retention_1d",
				"eligible_7d", "returned_7d", "retention_7d", "eligible_30d", "returned_30d", "retention_30d"), Map.of());
	}

	private static void put(Map<String, Object> row, String n, long eligible, long returned) {
		row.put("eligible_" + n, eligible);
		row.put("returned_" + n, returned);
		row.put("retention_" + n, eligible == 0 ? null : AnalyticsQueries.round((double) returned / eligible));
	}

	@GetMapping({ "/admin/api/analytics/people", "/admin/api/analytics/people.csv" })
	ResponseEntity<?> people(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
			@RequestParam(required = false) String format, jakarta.servlet.http.HttpServletRequest request) {
		boolean csv = csv(format, request.getRequestURI().endsWith(".csv"));
		Range range = Range.of(from, to);
		List<Map<String, Object>> rows = new ArrayList<>();
		for (AnalyticsQueries.PeopleRow r : this.queries.people(range.from(), range.to())) {
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("key", r.key());
			row.put("new_people", r.newPeople());
			row.put("returning_people", r.returningPeople());
			rows.add(row);
		}
		return answer("people", rows, csv, List.of("key", "new_people", "returning_people"), Map.of());
	}

	@GetMapping({ "/admin/api/analytics/sms", "/admin/api/analytics/sms.csv" })
	ResponseEntity<?> sms(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
			@RequestParam(required = false) String format, jakarta.servlet.http.HttpServletRequest request) {
		boolean csv = csv(format, request.getRequestURI().endsWith(".csv"));
		Range range = Range.of(from, to);
		List<Map<String, Object>> rows = new ArrayList<>();
		for (AnalyticsQueries.SmsRow r : this.queries.sms(range.from(), range.to())) {
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("key", r.key());
			row.put("sent", r.sent());
			row.put("price_per_message", r.pricePerMessage());
			row.put("cost", r.cost());
			row.put("phone_successes", r.phoneSuccesses());
			row.put("cost_per_success", r.costPerSuccess());
			rows.add(row);
		}
		return answer("sms", rows, csv,
				List.of("key", "sent", "price_per_message", "cost", "phone_successes", "cost_per_success"), Map.of());
	}

	private static ResponseEntity<?> answer(String name, List<Map<String, Object>> rows, boolean csv,
			List<String> columns, Map<String, Object> extra) {
		if (!csv) {
			Map<String, Object> body = new LinkedHashMap<>(extra);
			body.put("rows", rows);
			return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
		}
		StringBuilder out = new StringBuilder(String.join(",", columns)).append("\r\n");
		for (Map<String, Object> row : rows) {
			List<String> cells = new ArrayList<>();
			for (String column : columns) {
				cells.add(cell(row.get(column)));
			}
			out.append(String.join(",", cells)).append("\r\n");
		}
		return ResponseEntity.ok()
			.contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
			.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + ".csv\"")
			.body(out.toString());
	}

	/** RFC 4180 quoting; a cell that a spreadsheet would run as a formula is prefixed with a quote. */
	static String cell(Object value) {
		if (value == null) {
			return "";
		}
		String s = value.toString();
		if (s.length() > 1 && "=+-@".indexOf(s.charAt(0)) >= 0 && !(value instanceof Number)) {
			s = "'" + s;
		}
		return s.matches(".*[\",\r\n].*") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
	}

	@ExceptionHandler({ BadParameter.class, MissingServletRequestParameterException.class })
	ResponseEntity<Map<String, String>> bad(Exception ex) {
		return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("error", "invalid_request", "error_description", ex.getMessage()));
	}

}
