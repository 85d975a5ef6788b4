package dev.tongxing.server.complaint;

import dev.tongxing.server.kernel.MobileNumbers;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * "Can't sign in?" for people, no sign-in needed: the form ({@code /login/help}), and each ticket's page
 * behind its secret link ({@code /login/help/{number}?k=…}) with the conversation and a box to add to it.
 */
@Controller
class ComplaintController {

	static final int MAX_DESCRIPTION = 2000;

	static final int MIN_DESCRIPTION = 5;

	static final int MAX_MESSAGE = 2000;

	/** How far back "when did it happen" may go. */
	static final Duration OLDEST_HAPPENED = Duration.ofDays(30);

	private final ComplaintDesk desk;

	private final LoginTrail trail;

	private final MethodChoices methods;

	private final MobileNumbers phones;

	private final MessageSource messages;

	private final ComplaintProperties properties;

	private final Clock clock;

	private final String issuer;

	ComplaintController(ComplaintDesk desk, LoginTrail trail, MethodChoices methods, MobileNumbers phones,
			MessageSource messages, ComplaintProperties properties, Clock clock,
			@Value("${tongxing.issuer}") String issuer) {
		this.desk = desk;
		this.trail = trail;
		this.methods = methods;
		this.phones = phones;
		this.messages = messages;
		this.properties = properties;
		this.clock = clock;
		this.issuer = issuer;
	}

	@GetMapping("/login/help")
	String form(Model model, Locale locale) {
		return showForm(model, ComplaintForm.empty(), Map.of(), locale);
	}

	@PostMapping("/login/help")
	String submit(ComplaintForm form, HttpServletRequest request, HttpServletResponse response, Model model,
			Locale locale) {
		Map<String, String> errors = new LinkedHashMap<>();
		Optional<Contact> contact = Contact.parse(form.contact(), this.phones);
		if (contact.isEmpty()) {
			errors.put("contact", "complaint.error.contact");
		}
		String method = form.method() == null ? "" : form.method().strip();
		if (!this.methods.offered(method)) {
			errors.put("method", "complaint.error.method");
		}
		String description = form.description() == null ? "" : form.description().strip();
		if (description.codePointCount(0, description.length()) < MIN_DESCRIPTION
				|| description.codePointCount(0, description.length()) > MAX_DESCRIPTION) {
			errors.put("description", "complaint.error.description");
		}
		Instant happenedAt = null;
		if (form.happenedAt() != null && !form.happenedAt().isBlank()) {
			Instant now = this.clock.instant();
			happenedAt = DeskTimes.parseLocal(form.happenedAt(), this.properties.zone())
				.filter(at -> !at.isAfter(now.plus(Duration.ofMinutes(5))) && !at.isBefore(now.minus(OLDEST_HAPPENED)))
				.orElse(null);
			if (happenedAt == null) {
				errors.put("happenedAt", "complaint.error.time");
			}
		}
		if (!errors.isEmpty()) {
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			return showForm(model, form, errors, locale);
		}
		ComplaintDesk.Opened opened;
		try {
			opened = this.desk.open(new ComplaintDesk.NewComplaint(contact.get(), method, description, happenedAt, locale),
					this.trail.person(request, request.getRemoteAddr()));
		}
		catch (ComplaintDesk.LimitReached limit) {
			response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
			model.addAttribute("limitMessage", this.messages.getMessage("complaint.error.limit",
					new Object[] { DeskTimes.show(limit.retryAt, this.properties.zone()) }, locale));
			return showForm(model, form, Map.of(), locale);
		}
		return "redirect:" + ticketPath(opened.number(), opened.accessKey()) + "&new";
	}

	@GetMapping("/login/help/{number}")
	String ticket(@PathVariable String number, @RequestParam(name = "k", required = false) String key,
			@RequestParam(name = "new", required = false) String isNew, Model model) {
		model.addAttribute("justOpened", isNew != null);
		return showTicket(model, number, key, null, "");
	}

	@PostMapping("/login/help/{number}/messages")
	String addMessage(@PathVariable String number, @RequestParam(name = "k", required = false) String key,
			@RequestParam(name = "message", required = false) String message, HttpServletResponse response,
			Model model) {
		String body = message == null ? "" : message.strip();
		if (body.isEmpty() || body.codePointCount(0, body.length()) > MAX_MESSAGE) {
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			return showTicket(model, number, key, "complaint.error.message", message);
		}
		try {
			if (!this.desk.addPersonMessage(TicketNumbers.normalise(number), key, body)) {
				throw new ResponseStatusException(HttpStatus.NOT_FOUND);
			}
		}
		catch (ComplaintDesk.TicketClosed closed) {
			response.setStatus(HttpStatus.CONFLICT.value());
			return showTicket(model, number, key, "complaint.error.closed", message);
		}
		return "redirect:" + ticketPath(TicketNumbers.normalise(number), key) + "#messages";
	}

	private String showTicket(Model model, String number, String key, String errorKey, String draft) {
		String normalised = TicketNumbers.normalise(number);
		ComplaintDesk.PersonView view = (normalised == null ? Optional.<ComplaintDesk.PersonView>empty()
				: this.desk.forPerson(normalised, key))
			// a wrong number and a wrong key look alike: no way to probe which numbers exist
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
		Ticket ticket = view.ticket();
		Instant now = this.clock.instant();
		model.addAttribute("ticket", ticket);
		model.addAttribute("key", key);
		model.addAttribute("link", this.issuer + ticketPath(ticket.number(), key));
		model.addAttribute("methodLabel", this.methods.labelKey(ticket.method()));
		model.addAttribute("opened", DeskTimes.show(ticket.createdAt(), this.properties.zone()));
		model.addAttribute("due", DeskTimes.show(ticket.firstResponseDue(), this.properties.zone()));
		model.addAttribute("answered", DeskTimes.show(ticket.firstResponseAt(), this.properties.zone()));
		model.addAttribute("overdue", ticket.waitingForFirstResponse() && ticket.timeLeft(now).isNegative());
		model.addAttribute("messages", view.messages()
			.stream()
			.map(m -> Map.of("author", m.author(), "at", DeskTimes.show(m.at(), this.properties.zone()), "body", m.body()))
			.toList());
		model.addAttribute("errorKey", errorKey);
		model.addAttribute("draft", draft == null ? "" : draft);
		return "complaint/ticket";
	}

	private String showForm(Model model, ComplaintForm form, Map<String, String> errors, Locale locale) {
		model.addAttribute("form", form);
		model.addAttribute("errors", errors);
		model.addAttribute("methods", this.methods.all());
		model.addAttribute("maxDescription", MAX_DESCRIPTION);
		model.addAttribute("firstResponse", DeskTimes.span(this.properties.firstResponse(), locale));
		return "complaint/form";
	}

	static String ticketPath(String number, String key) {
		return "/login/help/" + number + "?k=" + URLEncoder.encode(key == null ? "" : key, StandardCharsets.UTF_8);
	}

}
