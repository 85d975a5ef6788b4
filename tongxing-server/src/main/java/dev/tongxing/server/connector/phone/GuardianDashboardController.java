package dev.tongxing.server.connector.phone;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.UserAccount;
import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.audit.AuditTypes;
import dev.tongxing.server.consent.PhoneNumberConsent;
import dev.tongxing.server.deletion.AccountDeletion;
import dev.tongxing.server.kernel.PersonalDataSection;
import dev.tongxing.server.account.ImportantNotices;
import dev.tongxing.server.minors.AgeBracket;
import dev.tongxing.server.minors.GuardianSession;
import dev.tongxing.server.minors.Minors;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * The guardian's own way in (未成年人保护法 Art. 72; 未成年人网络保护条例 Art. 34): the guardian proves the phone they
 * consented with by a code, and then sees each child they consented for — the child's data (the same sections as
 * "download my data"), a correction of the age bracket, and deletion of the child's account (the usual
 * cooling-off applies). Every look and every change is in the audit log with the guardian as the actor.
 */
@Controller
class GuardianDashboardController {

	static final String GUARDIAN = GuardianSession.ATTRIBUTE;

	private static final String PAGE = "phone/guardian-dashboard";

	private final PhoneCodeForm form;

	private final Minors minors;

	private final PhoneDigests digests;

	private final AccountService accounts;

	private final PhoneNumberConsent phoneConsent;

	private final List<PersonalDataSection> sections;

	private final AccountDeletion deletion;

	private final AuditLog audit;

	private final List<ImportantNotices> notices;

	private final tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.builder()
		.propertyNamingStrategy(tools.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
		.enable(tools.jackson.databind.SerializationFeature.INDENT_OUTPUT)
		.build();

	GuardianDashboardController(PhoneCodeForm form, Minors minors, PhoneDigests digests, AccountService accounts,
			PhoneNumberConsent phoneConsent, List<PersonalDataSection> sections, AccountDeletion deletion,
			AuditLog audit, List<ImportantNotices> notices) {
		this.notices = notices;
		this.form = form;
		this.minors = minors;
		this.digests = digests;
		this.accounts = accounts;
		this.phoneConsent = phoneConsent;
		this.sections = sections;
		this.deletion = deletion;
		this.audit = audit;
	}

	/** A child of the guardian, for the page, with the notices that concern them (e.g. an incident). */
	record Child(String id, String displayName, String bracket, boolean deletionPending,
			List<ImportantNotices.Notice> notices) {
	}

	private Optional<String> guardian(HttpSession session) {
		return GuardianSession.of(session);
	}

	@GetMapping("/login/guardian")
	String page(HttpSession session, HttpServletRequest request, Model model, Locale locale) {
		Optional<String> guardian = guardian(session);
		if (guardian.isEmpty()) {
			this.form.start(model, locale, request, null);
			return PAGE;
		}
		model.addAttribute("children", this.minors.childrenOf(guardian.get())
			.stream()
			.map(id -> new Child(id, this.accounts.find(id).map(UserAccount::displayName).orElse(""),
					this.minors.standing(id).map(s -> s.bracket().value()).orElse(""),
					this.deletion.pending(id).isPresent(),
					this.notices.stream().flatMap(n -> n.forGuardian(id, locale).stream()).toList()))
			.toList());
		model.addAttribute("guardian", true);
		return PAGE;
	}

	@PostMapping("/login/guardian/send")
	String send(@RequestParam(defaultValue = "") String phone,
			@RequestParam(name = "phone-consent", required = false) String consent, HttpServletRequest request,
			Model model, Locale locale) {
		this.form.send(phone, consent, null, request, model, locale);
		return PAGE;
	}

	@PostMapping("/login/guardian/verify")
	String verify(@RequestParam(defaultValue = "") String phone, @RequestParam(defaultValue = "") String code,
			@RequestParam(name = "phone-consent", required = false) String consent, HttpServletRequest request,
			Model model, Locale locale) {
		Optional<String> proven = this.form.verify(phone, code, consent, null, request, model, locale)
			.map(VerifyOutcome.Verified::phone);
		if (proven.isEmpty()) {
			return PAGE;
		}
		this.phoneConsent.discardPending(request);
		request.changeSessionId();
		request.getSession().setAttribute(GUARDIAN, "guardian:" + this.digests.phone(proven.get()));
		return "redirect:/login/guardian";
	}

	@PostMapping("/login/guardian/sign-out")
	String signOut(HttpSession session) {
		session.removeAttribute(GUARDIAN);
		return "redirect:/login/guardian";
	}

	private String childOf(HttpSession session, String childId) {
		String guardian = guardian(session).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
		if (!this.minors.childrenOf(guardian).contains(childId)) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND);
		}
		return guardian;
	}

	@GetMapping("/login/guardian/children/{child}/data")
	ResponseEntity<byte[]> data(@PathVariable String child, HttpSession session) {
		String guardian = childOf(session, child);
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("subject", child);
		for (PersonalDataSection section : this.sections) {
			document.put(section.name(), section.export(child));
		}
		this.audit.record(AuditEntry.of(AuditTypes.PERSONAL_DATA_READ)
			.actor(guardian)
			.subject(child)
			.detail("channel", "guardian")
			.detail("sections", this.sections.stream().map(PersonalDataSection::name).toList()));
		return ResponseEntity.ok()
			.contentType(new MediaType(MediaType.APPLICATION_JSON, java.nio.charset.StandardCharsets.UTF_8))
			.body(this.json.writeValueAsString(document).getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	@PostMapping("/login/guardian/children/{child}/age")
	String correct(@PathVariable String child, @RequestParam String bracket, HttpSession session) {
		String guardian = childOf(session, child);
		AgeBracket chosen = AgeBracket.of(bracket).orElseThrow(() -> new ResponseStatusException(HttpStatus.BAD_REQUEST));
		this.minors.correct(child, chosen, guardian);
		return "redirect:/login/guardian?corrected";
	}

	/** The guardian corrects the child's name (未成年人网络保护条例 Art. 34), as the child could on their account page. */
	@PostMapping("/login/guardian/children/{child}/name")
	String correctName(@PathVariable String child, @RequestParam(defaultValue = "") String name, HttpSession session) {
		String guardian = childOf(session, child);
		try {
			this.accounts.correctDisplayName(child, name, guardian);
		}
		catch (IllegalArgumentException invalid) {
			return "redirect:/login/guardian?name-invalid";
		}
		return "redirect:/login/guardian?corrected";
	}

	@PostMapping("/login/guardian/children/{child}/delete")
	String delete(@PathVariable String child, HttpSession session) {
		String guardian = childOf(session, child);
		this.deletion.request(child, guardian);
		return "redirect:/login/guardian?deletion-requested";
	}

}
