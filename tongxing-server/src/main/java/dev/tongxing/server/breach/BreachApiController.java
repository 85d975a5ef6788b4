package dev.tongxing.server.breach;

import java.security.Principal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The incidents as JSON under {@code /admin/api/breaches}: the same actions as the pages. Times are ISO-8601
 * with an offset; errors are {@code {"error", "error_description", "problems": [{"field", "message"}]}}.
 */
@RestController
class BreachApiController {

	private final Breaches breaches;

	private final NoticeTexts texts;

	private final MessageSource messages;

	BreachApiController(Breaches breaches, NoticeTexts texts, MessageSource messages) {
		this.breaches = breaches;
		this.texts = texts;
		this.messages = messages;
	}

	@GetMapping("/admin/api/breaches")
	Map<String, Object> list() {
		return Map.of("breaches", this.breaches.list().stream().map(this::summary).toList());
	}

	/**
	 * Body: {@code discoveredAt}, {@code occurredFrom}, {@code occurredTo}, {@code categories} (catalogue item
	 * ids), {@code description}, {@code cause}, {@code harm}, {@code measures}, {@code remedies} (each
	 * {@code {"zh": "…", "en": "…"}}) and {@code contact}.
	 */
	@PostMapping("/admin/api/breaches")
	ResponseEntity<Map<String, Object>> create(@RequestBody Map<String, Object> body, Principal operator) {
		BreachDraft draft = new BreachDraft(BreachForms.iso("discoveredAt", body.get("discoveredAt")),
				BreachForms.iso("occurredFrom", body.get("occurredFrom")),
				BreachForms.iso("occurredTo", body.get("occurredTo")), strings(body, "categories"),
				text(body, "description"), text(body, "cause"), text(body, "harm"), text(body, "measures"),
				text(body, "remedies"), body.get("contact") instanceof String c ? c : null);
		Breach breach = this.breaches.record(draft, operator.getName());
		return ResponseEntity.status(HttpStatus.CREATED).body(detail(breach));
	}

	@GetMapping("/admin/api/breaches/{id}")
	Map<String, Object> one(@PathVariable String id) {
		return detail(this.breaches.known(id));
	}

	/** Body: {@code from}, {@code to}, and any of {@code eventTypes}, {@code clientIds}, {@code categories}. */
	@PostMapping("/admin/api/breaches/{id}/selection/preview")
	Map<String, Object> preview(@PathVariable String id, @RequestBody Map<String, Object> body) {
		return Map.of("breach", id, "people", this.breaches.preview(id, selection(body)));
	}

	/**
	 * Selects and freezes. The same body as the preview; an empty body finishes a selection that was
	 * interrupted, with its own criteria.
	 */
	@PostMapping("/admin/api/breaches/{id}/selection")
	Map<String, Object> select(@PathVariable String id, @RequestBody(required = false) Map<String, Object> body,
			Principal operator) {
		Breach.Selection selection = body == null || body.isEmpty() ? null : selection(body);
		int people = this.breaches.select(id, selection, operator.getName());
		return Map.of("breach", id, "people", people, "status", this.breaches.known(id).status().column());
	}

	@GetMapping("/admin/api/breaches/{id}/people")
	Map<String, Object> people(@PathVariable String id, @RequestParam(required = false) String after,
			@RequestParam(defaultValue = "100") int limit) {
		List<Map<String, Object>> rows = this.breaches.people(id, after, limit).stream().map(p -> {
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("accountId", p.accountId());
			row.put("reason", p.reason());
			row.put("selectedAt", time(p.selectedAt()));
			row.put("sms", map("status", p.smsStatus(), "attemptedAt", time(p.smsAttemptedAt()), "deliveredAt",
					time(p.smsDeliveredAt()), "failure", p.smsFailure()));
			row.put("inApp", map("status", p.inAppStatus(), "publishedAt", time(p.inAppPublishedAt()), "shownAt",
					time(p.inAppShownAt()), "readAt", time(p.inAppReadAt())));
			return row;
		}).toList();
		return Map.of("breach", id, "people", rows);
	}

	/** Publishes the in-app notices and queues the SMS (again: re-queues those a provider refused). */
	@PostMapping("/admin/api/breaches/{id}/notices")
	Map<String, Object> notices(@PathVariable String id, Principal operator) {
		return counts(this.breaches.startNotices(id, operator.getName()));
	}

	/** The notice as people get it: {@code ?lang=zh-CN} or {@code en}, and the SMS text. */
	@GetMapping("/admin/api/breaches/{id}/notice")
	Map<String, Object> notice(@PathVariable String id, @RequestParam(defaultValue = "zh-CN") String lang) {
		Breach breach = this.breaches.known(id);
		Locale locale = lang.toLowerCase(Locale.ROOT).startsWith("zh") ? Locale.SIMPLIFIED_CHINESE : Locale.ENGLISH;
		NoticeTexts.Notice notice = this.texts.notice(breach, locale);
		Map<String, Object> parts = new LinkedHashMap<>();
		notice.parts().forEach(p -> parts.put(p.field(), Map.of("label", p.label(), "text", p.text())));
		return Map.of("lang", locale.toLanguageTag(), "title", notice.title(), "intro", notice.intro(), "parts", parts,
				"sms", this.texts.sms(breach));
	}

	/** Body: {@code reportedAt}, {@code authority}, {@code reference} (optional). */
	@PostMapping("/admin/api/breaches/{id}/reports")
	ResponseEntity<Map<String, Object>> report(@PathVariable String id, @RequestBody Map<String, Object> body,
			Principal operator) {
		Breaches.Report r = this.breaches.report(id, BreachForms.iso("reportedAt", body.get("reportedAt")),
				body.get("authority") instanceof String a ? a : null,
				body.get("reference") instanceof String ref ? ref : null, operator.getName());
		return ResponseEntity.status(HttpStatus.CREATED).body(report(r));
	}

	// errors: readable JSON, never a stack trace

	@ExceptionHandler(BreachException.class)
	ResponseEntity<Map<String, Object>> refused(BreachException ex) {
		String error = switch (ex.kind()) {
			case INVALID -> "invalid_request";
			case NOT_FOUND -> "not_found";
			case CONFLICT -> "conflict";
		};
		return error(BreachAdminController.status(ex), error, ex.problems());
	}

	@ExceptionHandler(BreachForms.BadTime.class)
	ResponseEntity<Map<String, Object>> badTime(BreachForms.BadTime ex) {
		return error(HttpStatus.BAD_REQUEST, "invalid_request", List.of(new BreachException.Problem(ex.field, "time-iso")));
	}

	@ExceptionHandler(HttpMessageNotReadableException.class)
	ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException ex) {
		return error(HttpStatus.BAD_REQUEST, "invalid_request", List.of(new BreachException.Problem(null, "json")));
	}

	private ResponseEntity<Map<String, Object>> error(HttpStatus status, String error,
			List<BreachException.Problem> problems) {
		List<Map<String, Object>> described = problems.stream().map(p -> {
			Map<String, Object> row = new LinkedHashMap<>();
			if (p.field() != null) {
				row.put("field", p.field());
			}
			row.put("message", message(p));
			return row;
		}).toList();
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("error", error);
		body.put("error_description", String.join("; ", described.stream()
			.map(d -> (d.containsKey("field") ? d.get("field") + ": " : "") + d.get("message"))
			.toList()));
		body.put("problems", described);
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
	}

	private String message(BreachException.Problem p) {
		return this.messages.getMessage("breach.error." + p.key(), null, p.key(), Locale.ENGLISH);
	}

	// shapes

	private Map<String, Object> summary(Breach b) {
		Map<String, Object> row = new LinkedHashMap<>();
		row.put("id", b.id());
		row.put("status", b.status().column());
		row.put("discoveredAt", time(b.discoveredAt()));
		row.put("categories", b.categories());
		row.put("counts", counts(this.breaches.counts(b.id())));
		row.put("reported", !this.breaches.reports(b.id()).isEmpty());
		return row;
	}

	private Map<String, Object> detail(Breach b) {
		Map<String, Object> body = summary(b);
		body.put("occurredFrom", time(b.occurredFrom()));
		body.put("occurredTo", time(b.occurredTo()));
		body.put("description", b.description());
		body.put("cause", b.cause());
		body.put("harm", b.harm());
		body.put("measures", b.measures());
		body.put("remedies", b.remedies());
		body.put("contact", b.contact());
		body.put("recordedAt", time(b.recordedAt()));
		body.put("recordedBy", b.recordedBy());
		if (b.selection() != null) {
			Map<String, Object> s = new LinkedHashMap<>();
			s.put("from", time(b.selection().from()));
			s.put("to", time(b.selection().to()));
			s.put("eventTypes", b.selection().eventTypes());
			s.put("clientIds", b.selection().clientIds());
			s.put("categories", b.selection().categories());
			s.put("selectedAt", time(b.selectedAt()));
			s.put("selectedBy", b.selectedBy());
			body.put("selection", s);
		}
		body.put("noticesStartedAt", time(b.noticesStartedAt()));
		body.put("noticesStartedBy", b.noticesStartedBy());
		body.put("reports", this.breaches.reports(b.id()).stream().map(this::report).toList());
		return body;
	}

	private Map<String, Object> report(Breaches.Report r) {
		Map<String, Object> row = new LinkedHashMap<>();
		row.put("id", r.id());
		row.put("reportedAt", time(r.reportedAt()));
		row.put("authority", r.authority());
		row.put("reference", r.reference());
		row.put("reportedBy", r.reportedBy());
		row.put("recordedAt", time(r.recordedAt()));
		return row;
	}

	private static Map<String, Object> counts(Breaches.Counts c) {
		return Map.of("people", c.people(), "sms", c.sms(), "inApp", c.inApp(), "minors", c.minors(), "guardians",
				c.guardians(), "guardiansRead", c.guardiansRead());
	}

	private static Breach.Selection selection(Map<String, Object> body) {
		return new Breach.Selection(BreachForms.iso("from", body.get("from")), BreachForms.iso("to", body.get("to")),
				strings(body, "eventTypes"), strings(body, "clientIds"), strings(body, "categories"));
	}

	private static List<String> strings(Map<String, Object> body, String key) {
		Object value = body.get(key);
		if (value == null) {
			return List.of();
		}
		if (!(value instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
			throw BreachException.invalid(List.of(new BreachException.Problem(key, "list")));
		}
		return list.stream().map(String.class::cast).toList();
	}

	private static Breach.Text text(Map<String, Object> body, String key) {
		if (body.get(key) instanceof Map<?, ?> m && m.get("zh") instanceof String zh && m.get("en") instanceof String en) {
			return new Breach.Text(zh, en);
		}
		return null;
	}

	private static Map<String, Object> map(Object... keysAndValues) {
		Map<String, Object> map = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			map.put((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return map;
	}

	private static String time(Instant instant) {
		return instant == null ? null : instant.toString();
	}

}
