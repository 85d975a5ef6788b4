package dev.tongxing.server.complaint;

import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.server.ResponseStatusException;

/**
 * The operators' complaint queue: a page at {@code /admin/complaints} (behind the console's sign-in; replying and
 * closing need {@code support}) and the same as JSON under {@code /admin/api/complaints} (Basic or an API token). Tickets awaiting their
 * first response come first, by deadline, each with its clock; a ticket shows the failed logins attached to
 * it with what they mean and what to do.
 */
@Controller
class ComplaintAdminController {

	static final int MAX_REPLY = 4000;

	/** What a sealed reply of this many UTF-8 bytes still fits in {@code complaint_message.body_sealed}. */
	static final int MAX_REPLY_BYTES = 12_000;

	private final ComplaintDesk desk;

	private final MethodChoices methods;

	private final ComplaintProperties properties;

	private final Clock clock;

	ComplaintAdminController(ComplaintDesk desk, MethodChoices methods, ComplaintProperties properties,
			Clock clock) {
		this.desk = desk;
		this.methods = methods;
		this.properties = properties;
		this.clock = clock;
	}

	record Reply(String message) {
	}

	// the page

	@GetMapping("/admin/complaints")
	String queuePage(Model model, Locale locale) {
		Instant now = this.clock.instant();
		model.addAttribute("tickets", this.desk.queue().stream().map(t -> summary(t, now, locale)).toList());
		model.addAttribute("closed", this.desk.recentlyClosed().stream().map(t -> summary(t, now, locale)).toList());
		model.addAttribute("firstResponse", DeskTimes.span(this.properties.firstResponse(), locale));
		return "complaint/queue";
	}

	@GetMapping("/admin/complaints/{number}")
	String ticketPage(@PathVariable String number, Principal operator, Locale locale, Model model) {
		return showTicket(number, operator, locale, model, null);
	}

	@PostMapping("/admin/complaints/{number}/reply")
	String replyFromPage(@PathVariable String number, @RequestParam(required = false) String message,
			Principal operator, Locale locale, Model model, jakarta.servlet.http.HttpServletResponse response) {
		String error = replyError(message);
		if (error == null) {
			try {
				this.desk.reply(known(number), operator.getName(), message.strip())
					.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
				return "redirect:/admin/complaints/" + known(number);
			}
			catch (ComplaintDesk.TicketClosed closed) {
				error = "complaint.admin.error.closed";
			}
		}
		response.setStatus(HttpStatus.BAD_REQUEST.value());
		return showTicket(number, operator, locale, model, error);
	}

	@PostMapping("/admin/complaints/{number}/close")
	String closeFromPage(@PathVariable String number, Principal operator, Locale locale, Model model,
			jakarta.servlet.http.HttpServletResponse response) {
		try {
			this.desk.close(known(number), operator.getName())
				.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
			return "redirect:/admin/complaints/" + known(number);
		}
		catch (ComplaintDesk.Unanswered unanswered) {
			response.setStatus(HttpStatus.CONFLICT.value());
			return showTicket(number, operator, locale, model, "complaint.admin.error.unanswered");
		}
	}

	private String showTicket(String number, Principal operator, Locale locale, Model model, String errorKey) {
		ComplaintDesk.OperatorView view = this.desk.forOperator(known(number), operator.getName(), locale)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
		Instant now = this.clock.instant();
		model.addAttribute("t", summary(view.ticket(), now, locale));
		model.addAttribute("view", view);
		// a viewer reads the ticket but not the person's contact in clear (support answers them)
		model.addAttribute("contact", dev.tongxing.server.console.ConsoleOperator.shown(operator, view.contact().value()));
		model.addAttribute("happened", DeskTimes.show(view.ticket().happenedAt(), this.properties.zone()));
		model.addAttribute("messages", view.messages()
			.stream()
			.map(m -> Map.of("author", m.author(), "operator", m.operatorName() == null ? "" : m.operatorName(), "at",
					DeskTimes.show(m.at(), this.properties.zone()), "body", m.body()))
			.toList());
		model.addAttribute("failures", view.failures().stream().map(this::failure).toList());
		model.addAttribute("escalations", view.escalations());
		model.addAttribute("errorKey", errorKey);
		return "complaint/admin-ticket";
	}

	// the API

	@GetMapping("/admin/api/complaints")
	@ResponseBody
	Map<String, Object> queue() {
		Instant now = this.clock.instant();
		Locale locale = Locale.ENGLISH;
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("now", now.toString());
		body.put("firstResponse", this.properties.firstResponse().toString());
		body.put("tickets", this.desk.queue().stream().map(t -> summary(t, now, locale)).toList());
		return body;
	}

	@GetMapping("/admin/api/complaints/{number}")
	@ResponseBody
	Map<String, Object> ticket(@PathVariable String number, Principal operator, Locale locale) {
		ComplaintDesk.OperatorView view = this.desk.forOperator(known(number), operator.getName(), locale)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
		Map<String, Object> body = summary(view.ticket(), this.clock.instant(), Locale.ENGLISH);
		body.put("contact", view.contact().value());
		body.put("description", view.description());
		body.put("happenedAt", view.ticket().happenedAt() == null ? null : view.ticket().happenedAt().toString());
		body.put("locale", view.ticket().locale());
		body.put("messages", view.messages().stream().map(m -> {
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("at", m.at().toString());
			row.put("author", m.author());
			row.put("operator", m.operatorName());
			row.put("body", m.body());
			return row;
		}).toList());
		body.put("failures", view.failures().stream().map(this::failure).toList());
		body.put("escalations", view.escalations().stream().map(e -> {
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("level", e.level());
			row.put("state", e.state());
			row.put("attempts", e.attempts());
			row.put("sentAt", e.sentAt() == null ? null : e.sentAt().toString());
			row.put("lastError", e.lastError());
			return row;
		}).toList());
		return body;
	}

	/** Body {@code {"message": "…"}}: shown to the person as is. The first reply stops the first-response clock. */
	@PostMapping("/admin/api/complaints/{number}/replies")
	@ResponseBody
	ResponseEntity<Map<String, Object>> reply(@PathVariable String number, @RequestBody(required = false) Reply reply,
			Principal operator) {
		String message = reply == null ? null : reply.message();
		String error = replyError(message);
		if (error != null) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "message: 1 to " + MAX_REPLY + " characters");
		}
		try {
			Ticket ticket = this.desk.reply(known(number), operator.getName(), message.strip())
				.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
			return ResponseEntity.status(HttpStatus.CREATED).body(summary(ticket, this.clock.instant(), Locale.ENGLISH));
		}
		catch (ComplaintDesk.TicketClosed closed) {
			throw new ResponseStatusException(HttpStatus.CONFLICT, "the ticket is closed");
		}
	}

	@PostMapping("/admin/api/complaints/{number}/close")
	@ResponseBody
	Map<String, Object> close(@PathVariable String number, Principal operator) {
		try {
			return summary(this.desk.close(known(number), operator.getName())
				.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND)), this.clock.instant(),
					Locale.ENGLISH);
		}
		catch (ComplaintDesk.Unanswered unanswered) {
			throw new ResponseStatusException(HttpStatus.CONFLICT,
					"reply to the person before closing: the first-response clock is still running");
		}
	}

	private static String replyError(String message) {
		String body = message == null ? "" : message.strip();
		// characters for people, bytes for the column the sealed text goes to (4-byte characters grow it most)
		return body.isEmpty() || body.codePointCount(0, body.length()) > MAX_REPLY
				|| body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_REPLY_BYTES
						? "complaint.admin.error.reply" : null;
	}

	private static String known(String number) {
		String normalised = TicketNumbers.normalise(number);
		if (normalised == null) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND);
		}
		return normalised;
	}

	/** A ticket's line in the queue, with its first-response clock (the API's in English). */
	private Map<String, Object> summary(Ticket t, Instant now, Locale locale) {
		Map<String, Object> row = new LinkedHashMap<>();
		row.put("number", t.number());
		row.put("method", t.method());
		row.put("methodLabelKey", this.methods.labelKey(t.method()));
		row.put("state", t.state().column());
		row.put("contactKind", t.contactKind());
		row.put("createdAt", t.createdAt().toString());
		row.put("firstResponseDue", t.firstResponseDue().toString());
		row.put("firstResponseAt", t.firstResponseAt() == null ? null : t.firstResponseAt().toString());
		row.put("closedAt", t.closedAt() == null ? null : t.closedAt().toString());
		row.put("failedLogins", t.failureCount());
		row.put("awaitingFirstResponse", t.waitingForFirstResponse());
		if (t.waitingForFirstResponse()) {
			long secondsLeft = t.timeLeft(now).toSeconds();
			row.put("secondsLeft", secondsLeft);
			row.put("overdue", secondsLeft < 0);
			row.put("near", secondsLeft >= 0 && secondsLeft <= this.properties.escalateBefore().toSeconds());
			row.put("clock", DeskTimes.span(t.timeLeft(now), locale));
		}
		else if (t.firstResponseAt() != null) {
			// every row has the same keys: the queue page reads them on each row
			row.put("overdue", false);
			row.put("near", false);
			row.put("firstResponseSeconds", t.firstResponseTime().toSeconds());
			row.put("answeredLate", t.answeredLate());
			row.put("clock", DeskTimes.span(t.firstResponseTime(), locale));
		}
		row.put("createdShown", DeskTimes.show(t.createdAt(), this.properties.zone()));
		row.put("dueShown", DeskTimes.show(t.firstResponseDue(), this.properties.zone()));
		return row;
	}

	private Map<String, Object> failure(ComplaintDesk.ExplainedFailure f) {
		Map<String, Object> row = new LinkedHashMap<>();
		row.put("at", f.failure().at().toString());
		row.put("atShown", DeskTimes.show(f.failure().at(), this.properties.zone()));
		row.put("method", f.failure().method());
		row.put("app", f.failure().app());
		row.put("cause", f.failure().cause().name());
		row.put("upstreamError", f.failure().upstreamError());
		row.put("matchedBy", f.failure().matchedBy());
		row.put("explanation", f.explanation());
		row.put("action", f.action());
		row.put("upstreamAdvice", f.upstreamAdvice());
		return row;
	}


}
