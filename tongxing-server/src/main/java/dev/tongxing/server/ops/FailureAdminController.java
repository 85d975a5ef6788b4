package dev.tongxing.server.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Recent failed logins for operators, each with its cause explained and the action to take, in the
 * operator's language (Accept-Language).
 */
@RestController
class FailureAdminController {

	private final LoginFailureLog failures;

	private final FailureCatalog catalog;

	private final MessageSource messages;

	private final Clock clock;

	FailureAdminController(LoginFailureLog failures, FailureCatalog catalog, MessageSource messages, Clock clock) {
		this.failures = failures;
		this.catalog = catalog;
		this.messages = messages;
		this.clock = clock;
	}

	/**
	 * @param since an instant ({@code 2025-06-01T00:00:00Z}) or a duration back from now ({@code PT1H}); the
	 * last 24 hours by default
	 */
	@GetMapping("/admin/api/ops/failures")
	Map<String, Object> failures(@RequestParam(required = false) String since,
			@RequestParam(defaultValue = "200") int limit, Locale locale) {
		Instant from = since(since);
		List<LoginFailureLog.Failure> recent = this.failures.since(from, Math.clamp(limit, 1, 1000));
		Map<String, Long> byCause = new TreeMap<>();
		List<Map<String, Object>> rows = recent.stream().map(f -> {
			byCause.merge(f.cause().name(), 1L, Long::sum);
			FailureExplanation why = this.catalog.explain(f.method(), f.cause(), f.upstreamError());
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("at", f.at().toString());
			row.put("method", f.method());
			row.put("app", f.app());
			row.put("cause", f.cause().name());
			row.put("upstreamError", f.upstreamError());
			row.put("explanation", text(why.explanationKey(), locale));
			row.put("action", text(why.actionKey(), locale));
			if (why.upstreamAdviceKey() != null) {
				row.put("upstreamAdvice", text(why.upstreamAdviceKey(), locale));
			}
			return row;
		}).toList();
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("since", from.toString());
		body.put("byCause", byCause);
		body.put("failures", rows);
		return body;
	}

	private Instant since(String since) {
		if (since == null || since.isBlank()) {
			return this.clock.instant().minus(Duration.ofDays(1));
		}
		try {
			return since.startsWith("P") ? this.clock.instant().minus(Duration.parse(since)) : Instant.parse(since);
		}
		catch (DateTimeParseException ex) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "since: an ISO-8601 instant or duration");
		}
	}

	private String text(String key, Locale locale) {
		return this.messages.getMessage(key, null, key, locale);
	}

}
