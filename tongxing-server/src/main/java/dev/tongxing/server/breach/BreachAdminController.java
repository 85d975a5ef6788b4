package dev.tongxing.server.breach;

import jakarta.servlet.http.HttpServletResponse;
import java.security.Principal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * The operators' incident pages (behind the {@code /admin/**} authentication, forms with CSRF tokens):
 * {@code /admin/breaches} lists them, {@code /admin/breaches/new} records one, {@code /admin/breaches/{id}}
 * shows it with the notice in both languages, the selection of the people (preview, then confirm), the
 * notices' start and delivery counts, and the reports to regulators.
 */
@Controller
class BreachAdminController {

	static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

	private final Breaches breaches;

	private final NoticeTexts texts;

	private final BreachProperties properties;

	private final java.time.Clock clock;

	BreachAdminController(Breaches breaches, NoticeTexts texts, BreachProperties properties, java.time.Clock clock) {
		this.breaches = breaches;
		this.texts = texts;
		this.properties = properties;
		this.clock = clock;
	}

	@GetMapping("/admin/breaches")
	String list(Model model, Locale locale) {
		model.addAttribute("rows", this.breaches.list().stream().map(b -> {
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("id", b.id());
			row.put("discovered", shown(b.discoveredAt()));
			row.put("status", b.status().column());
			row.put("categories", this.texts.categories(b, locale));
			Breaches.Counts counts = this.breaches.counts(b.id());
			row.put("people", counts.people());
			row.put("smsSent", counts.sms().get("sent"));
			row.put("reported", !this.breaches.reports(b.id()).isEmpty());
			return row;
		}).toList());
		return "breach/list";
	}

	@GetMapping("/admin/breaches/new")
	String form(Model model) {
		model.addAttribute("form", Map.of("discoveredAt", BreachForms.local(this.clock.instant(), zone())));
		return newForm(model, List.of());
	}

	@PostMapping("/admin/breaches")
	String create(@RequestParam Map<String, String> form,
			@RequestParam(name = "categories", required = false) List<String> categories, Principal operator,
			Model model, HttpServletResponse response) {
		try {
			Breach breach = this.breaches.record(draft(form, categories), operator.getName());
			return "redirect:/admin/breaches/" + breach.id();
		}
		catch (BreachForms.BadTime bad) {
			return badForm(form, categories, model, response, List.of(new BreachException.Problem(bad.field, "time")));
		}
		catch (BreachException ex) {
			return badForm(form, categories, model, response, ex.problems());
		}
	}

	/** The record's form, filled in, while nobody has been told (after that the detail page offers no edit). */
	@GetMapping("/admin/breaches/{id}/edit")
	String editForm(@PathVariable String id, Model model) {
		Breach b = known(id);
		Map<String, String> form = new java.util.HashMap<>();
		form.put("discoveredAt", BreachForms.local(b.discoveredAt(), zone()));
		form.put("occurredFrom", BreachForms.local(b.occurredFrom(), zone()));
		form.put("occurredTo", BreachForms.local(b.occurredTo(), zone()));
		for (var field : Map.of("description", b.description(), "cause", b.cause(), "harm", b.harm(), "measures",
				b.measures(), "remedies", b.remedies()).entrySet()) {
			form.put(field.getKey() + "Zh", field.getValue().zh());
			form.put(field.getKey() + "En", field.getValue().en());
		}
		form.put("contact", b.contact());
		model.addAttribute("form", form);
		model.addAttribute("checked", b.categories());
		model.addAttribute("editing", b.id());
		return newForm(model, List.of());
	}

	@PostMapping("/admin/breaches/{id}/edit")
	String amend(@PathVariable String id, @RequestParam Map<String, String> form,
			@RequestParam(name = "categories", required = false) List<String> categories, Principal operator,
			Model model, HttpServletResponse response) {
		known(id);
		model.addAttribute("editing", id);
		try {
			this.breaches.amend(id, draft(form, categories), operator.getName());
			return "redirect:/admin/breaches/" + id;
		}
		catch (BreachForms.BadTime bad) {
			return badForm(form, categories, model, response, List.of(new BreachException.Problem(bad.field, "time")));
		}
		catch (BreachException ex) {
			return badForm(form, categories, model, response, ex.problems());
		}
	}

	private BreachDraft draft(Map<String, String> form, List<String> categories) {
		return new BreachDraft(BreachForms.local("discoveredAt", form.get("discoveredAt"), zone()),
				BreachForms.local("occurredFrom", form.get("occurredFrom"), zone()),
				BreachForms.local("occurredTo", form.get("occurredTo"), zone()),
				categories == null ? List.of() : categories, text(form, "description"), text(form, "cause"),
				text(form, "harm"), text(form, "measures"), text(form, "remedies"), form.get("contact"));
	}

	private String badForm(Map<String, String> form, List<String> categories, Model model, HttpServletResponse response,
			List<BreachException.Problem> problems) {
		response.setStatus(HttpStatus.BAD_REQUEST.value());
		model.addAttribute("form", form);
		model.addAttribute("checked", categories == null ? List.of() : categories);
		return newForm(model, problems);
	}

	private String newForm(Model model, List<BreachException.Problem> problems) {
		model.addAttribute("categories", this.breaches.categories());
		if (!model.containsAttribute("checked")) {
			model.addAttribute("checked", List.of());
		}
		model.addAttribute("problems", problems);
		model.addAttribute("fields", List.of("description", "cause", "harm", "measures", "remedies"));
		return "breach/new";
	}

	@GetMapping("/admin/breaches/{id}")
	String show(@PathVariable String id, Model model, Locale locale) {
		return page(known(id), model, locale, null, null, List.of());
	}

	/** {@code action=preview} counts the people; {@code action=confirm} selects and freezes them. */
	@PostMapping("/admin/breaches/{id}/selection")
	String select(@PathVariable String id, @RequestParam Map<String, String> form,
			@RequestParam(name = "categories", required = false) List<String> categories, Principal operator,
			Model model, Locale locale, HttpServletResponse response) {
		Breach breach = known(id);
		Map<String, Object> values = new LinkedHashMap<>(form);
		values.put("categories", categories == null ? List.of() : categories);
		try {
			Breach.Selection selection = new Breach.Selection(BreachForms.local("from", form.get("from"), zone()),
					BreachForms.local("to", form.get("to"), zone()), BreachForms.words(form.get("eventTypes")),
					BreachForms.words(form.get("clientIds")), categories);
			if ("confirm".equals(form.get("action"))) {
				this.breaches.select(id, selection, operator.getName());
				return "redirect:/admin/breaches/" + id;
			}
			long count = this.breaches.preview(id, selection);
			return page(breach, model, locale, values, count, List.of());
		}
		catch (BreachForms.BadTime bad) {
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			return page(breach, model, locale, values, null, List.of(new BreachException.Problem(bad.field, "time")));
		}
		catch (BreachException ex) {
			response.setStatus(status(ex).value());
			return page(known(id), model, locale, values, null, ex.problems());
		}
	}

	@PostMapping("/admin/breaches/{id}/notices")
	String notify(@PathVariable String id, Principal operator, Model model, Locale locale,
			HttpServletResponse response) {
		try {
			this.breaches.startNotices(id, operator.getName());
			return "redirect:/admin/breaches/" + id;
		}
		catch (BreachException ex) {
			response.setStatus(status(ex).value());
			return page(known(id), model, locale, null, null, ex.problems());
		}
	}

	@PostMapping("/admin/breaches/{id}/reports")
	String report(@PathVariable String id, @RequestParam Map<String, String> form, Principal operator, Model model,
			Locale locale, HttpServletResponse response) {
		Breach breach = known(id);
		try {
			this.breaches.report(id, BreachForms.local("reportedAt", form.get("reportedAt"), zone()),
					form.get("authority"), form.get("reference"), operator.getName());
			return "redirect:/admin/breaches/" + id;
		}
		catch (BreachForms.BadTime bad) {
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			model.addAttribute("reportForm", form);
			return page(breach, model, locale, null, null, List.of(new BreachException.Problem(bad.field, "time")));
		}
		catch (BreachException ex) {
			response.setStatus(status(ex).value());
			model.addAttribute("reportForm", form);
			return page(breach, model, locale, null, null, ex.problems());
		}
	}

	private String page(Breach b, Model model, Locale locale, Map<String, Object> selectionForm, Long preview,
			List<BreachException.Problem> problems) {
		model.addAttribute("b", b);
		model.addAttribute("status", b.status().column());
		model.addAttribute("discovered", shown(b.discoveredAt()));
		model.addAttribute("occurredFrom", shown(b.occurredFrom()));
		model.addAttribute("occurredTo", shown(b.occurredTo()));
		model.addAttribute("recordedAt", shown(b.recordedAt()));
		model.addAttribute("categoryNames", this.texts.categories(b, locale));
		model.addAttribute("noticeZh", this.texts.notice(b, Locale.SIMPLIFIED_CHINESE));
		model.addAttribute("noticeEn", this.texts.notice(b, Locale.ENGLISH));
		model.addAttribute("sms", this.texts.sms(b));
		model.addAttribute("counts", this.breaches.counts(b.id()));
		model.addAttribute("reports", this.breaches.reports(b.id()).stream().map(r -> {
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("reportedAt", shown(r.reportedAt()));
			row.put("authority", r.authority());
			row.put("reference", r.reference() == null ? "" : r.reference());
			row.put("reportedBy", r.reportedBy());
			return row;
		}).toList());
		if (!model.containsAttribute("reportForm")) {
			model.addAttribute("reportForm", Map.of("reportedAt", BreachForms.local(this.clock.instant(), zone())));
		}
		boolean selectable = b.status() == Breach.Status.RECORDED || b.status() == Breach.Status.SELECTING;
		model.addAttribute("selectable", selectable);
		model.addAttribute("notifiable", !selectable);
		if (b.selection() != null) {
			model.addAttribute("selectionShown", Map.of("from", shown(b.selection().from()), "to",
					shown(b.selection().to()), "eventTypes", String.join(", ", b.selection().eventTypes()), "clientIds",
					String.join(", ", b.selection().clientIds()), "categories", String.join(", ", b.selection().categories())));
		}
		if (selectionForm == null) {
			Map<String, Object> values = new LinkedHashMap<>();
			Breach.Selection s = b.selection();
			values.put("from", BreachForms.local(s != null ? s.from() : b.occurredFrom(), zone()));
			values.put("to", BreachForms.local(s != null ? s.to() : b.occurredTo(), zone()));
			values.put("eventTypes", s == null ? "" : String.join(", ", s.eventTypes()));
			values.put("clientIds", s == null ? "" : String.join(", ", s.clientIds()));
			values.put("categories", s == null ? b.categories() : s.categories());
			selectionForm = values;
		}
		model.addAttribute("sel", selectionForm);
		model.addAttribute("preview", preview);
		model.addAttribute("categories", this.breaches.categories());
		model.addAttribute("problems", problems);
		model.addAttribute("zone", zone().getId());
		return "breach/detail";
	}

	static HttpStatus status(BreachException ex) {
		return switch (ex.kind()) {
			case INVALID -> HttpStatus.BAD_REQUEST;
			case NOT_FOUND -> HttpStatus.NOT_FOUND;
			case CONFLICT -> HttpStatus.CONFLICT;
		};
	}

	private Breach known(String id) {
		return this.breaches.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
	}

	private static Breach.Text text(Map<String, String> form, String field) {
		return new Breach.Text(form.getOrDefault(field + "Zh", ""), form.getOrDefault(field + "En", ""));
	}

	private String shown(Instant instant) {
		return instant == null ? "" : SHOWN.format(instant.atZone(zone()));
	}

	private ZoneId zone() {
		return this.properties.zone();
	}

}
