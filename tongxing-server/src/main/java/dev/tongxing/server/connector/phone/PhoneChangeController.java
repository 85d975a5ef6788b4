package dev.tongxing.server.connector.phone;

import dev.tongxing.server.account.AccountLinking;
import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ImportantNotices;
import dev.tongxing.server.audit.AuditTypes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.Serializable;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Changing the bound phone number, on {@code /account/phone} once the account has one (the same page binds
 * the first number with a single code, {@link PhoneBindingController}). A session alone is not enough to take
 * the account's recovery number:
 * <ol>
 * <li>the person proves the current number with a code sent to it ({@code data-action="send-old-code"},
 * {@code "verify-old"}), and then the new one ({@code "send-code"}, {@code "change-phone"}): changed at once;</li>
 * <li>or says they lost it ({@code "lost-old-number"}) and proves the new one ({@code "schedule-change"}): the
 * change waits {@code tongxing.account.phone-change.lost-number-wait}, the old number is told by SMS at once,
 * every sign-in of the account sees a notice on {@code /account} and can cancel ({@code "cancel-phone-change"}).</li>
 * </ol>
 */
@Controller
class PhoneChangeController implements ImportantNotices {

	static final String PAGE = "phone/change";

	/** The proof of the old number, in the session (which lives in the database) while the new one is proved. */
	static final String OLD_PROVED = "tongxing.phone.change.old-proved";

	record OldNumberProof(String userId, String identityId, Instant provedAt) implements Serializable {
	}

	/** The pages' one time zone (tongxing.display.time-zone), named beside each time. */
	private final dev.tongxing.server.kernel.DisplayTime time;

	private final PhoneChanges changes;

	private final PhoneCodeForm form;

	private final PhoneChangeProperties properties;

	private final MessageSource messages;

	private final Clock clock;

	PhoneChangeController(PhoneChanges changes, PhoneCodeForm form, PhoneChangeProperties properties,
			MessageSource messages, Clock clock, dev.tongxing.server.kernel.DisplayTime time) {
		this.time = time;
		this.changes = changes;
		this.form = form;
		this.properties = properties;
		this.messages = messages;
		this.clock = clock;
	}

	/**
	 * Whether {@code /account/phone} is this flow: the account has a number to change, or had one removed within
	 * the wait (removing it and binding another is a change too, and no code to the removed number can come).
	 */
	boolean applies(String userId) {
		return !this.changes.boundPhones(userId).isEmpty() || this.changes.removedRecently(userId);
	}

	/** The page for an account with a number: the waiting change, or the step the person is at. */
	String page(String userId, HttpSession session, Model model, Locale locale, HttpServletRequest request) {
		Optional<PhoneChanges.Waiting> waiting = this.changes.waiting(userId);
		if (waiting.isPresent()) {
			return waitingPage(waiting.get(), model, locale);
		}
		this.form.start(model, locale, request, userId);
		if (first(userId).isEmpty()) {
			return lostStep(model, userId); // the number was removed: only the wait is left
		}
		return proof(session, userId).isPresent() ? newStep(model, userId, session) : oldStep(model, userId);
	}

	/** A new number typed in: only after the old one was proved. */
	String send(String userId, String phone, String consent, HttpSession session, HttpServletRequest request,
			Model model, Locale locale) {
		if (this.changes.waiting(userId).isPresent()) {
			return "redirect:/account/phone/change";
		}
		if (first(userId).isEmpty()) {
			this.form.start(model, locale, request, userId);
			model.addAttribute("error", text(locale, "phone.change.error.removed-recently"));
			return lostStep(model, userId);
		}
		if (proof(session, userId).isEmpty()) {
			this.form.start(model, locale, request, userId);
			model.addAttribute("error", text(locale, "phone.change.error.old-first"));
			return oldStep(model, userId);
		}
		this.form.send(phone, consent, userId, request, model, locale);
		return newStep(model, userId, session);
	}

	/** The new number's code: with the old number proved, the change happens now. */
	String verify(String userId, String phone, String code, String consent, HttpSession session,
			HttpServletRequest request, Model model, Locale locale) {
		if (this.changes.waiting(userId).isPresent()) {
			return "redirect:/account/phone/change";
		}
		if (first(userId).isEmpty()) {
			this.form.start(model, locale, request, userId);
			model.addAttribute("error", text(locale, "phone.change.error.removed-recently"));
			return lostStep(model, userId);
		}
		Optional<OldNumberProof> proof = proof(session, userId);
		Optional<AccountService.LinkedIdentity> old = proof.flatMap(p -> bound(userId, p.identityId()));
		if (old.isEmpty()) {
			this.form.start(model, locale, request, userId);
			model.addAttribute("error", text(locale, "phone.change.error.old-first"));
			return oldStep(model, userId);
		}
		Optional<VerifyOutcome.Verified> proven = this.form.verify(phone, code, consent, userId, request, model, locale);
		if (proven.isEmpty()) {
			return newStep(model, userId, session);
		}
		this.changes.step(userId, AuditTypes.PHONE_CHANGE_PROVED, "number", "new");
		PhoneChanges.Outcome outcome = this.changes.changeNow(userId, old.get(), proven.get().phone());
		if (outcome instanceof PhoneChanges.Changed) {
			session.removeAttribute(OLD_PROVED);
			return "redirect:/account?notice=phone-changed";
		}
		model.addAttribute("notice", null);
		model.addAttribute("error", text(locale, problem(outcome)));
		return newStep(model, userId, session);
	}

	@GetMapping("/account/phone/change")
	String waiting(Principal principal, HttpSession session, Model model, Locale locale, HttpServletRequest request) {
		if (!applies(principal.getName())) {
			return "redirect:/account/phone";
		}
		return page(principal.getName(), session, model, locale, request);
	}

	@PostMapping("/account/phone/change/old/send")
	String sendToOld(Principal principal, HttpServletRequest request, HttpSession session, Model model,
			Locale locale) {
		String userId = principal.getName();
		Optional<AccountService.LinkedIdentity> old = first(userId);
		if (old.isEmpty() || this.changes.waiting(userId).isPresent()) {
			return "redirect:/account/phone";
		}
		this.form.start(model, locale, request, userId);
		this.changes.step(userId, AuditTypes.PHONE_CHANGE_REQUESTED, "path", "prove-old-number");
		this.form.sendToBound(old.get().key(), request, model, locale);
		model.addAttribute("oldCodeSent", true);
		return oldStep(model, userId);
	}

	@PostMapping("/account/phone/change/old/verify")
	String verifyOld(@RequestParam(defaultValue = "") String code, Principal principal, HttpServletRequest request,
			HttpSession session, Model model, Locale locale) {
		String userId = principal.getName();
		Optional<AccountService.LinkedIdentity> old = first(userId);
		if (old.isEmpty() || this.changes.waiting(userId).isPresent()) {
			return "redirect:/account/phone";
		}
		this.form.start(model, locale, request, userId);
		if (this.form.verifyBound(old.get().key(), code, request, model, locale).isEmpty()) {
			model.addAttribute("oldCodeSent", true);
			return oldStep(model, userId);
		}
		session.setAttribute(OLD_PROVED, new OldNumberProof(userId, old.get().id(), this.clock.instant()));
		this.changes.step(userId, AuditTypes.PHONE_CHANGE_PROVED, "number", "old");
		model.addAttribute("notice", text(locale, "phone.change.old.proved"));
		return newStep(model, userId, session);
	}

	@GetMapping("/account/phone/change/lost")
	String lost(Principal principal, HttpServletRequest request, Model model, Locale locale) {
		String userId = principal.getName();
		if (!applies(userId) || this.changes.waiting(userId).isPresent()) {
			return "redirect:/account/phone";
		}
		this.form.start(model, locale, request, userId);
		return lostStep(model, userId);
	}

	@PostMapping("/account/phone/change/lost/send")
	String lostSend(@RequestParam(defaultValue = "") String phone,
			@RequestParam(name = "phone-consent", required = false) String consent, Principal principal,
			HttpServletRequest request, Model model, Locale locale) {
		String userId = principal.getName();
		if (!applies(userId) || this.changes.waiting(userId).isPresent()) {
			return "redirect:/account/phone";
		}
		this.changes.step(userId, AuditTypes.PHONE_CHANGE_REQUESTED, "path",
				first(userId).isPresent() ? "old-number-lost" : "old-number-removed");
		this.form.send(phone, consent, userId, request, model, locale);
		return lostStep(model, userId);
	}

	@PostMapping("/account/phone/change/lost/verify")
	String lostVerify(@RequestParam(defaultValue = "") String phone, @RequestParam(defaultValue = "") String code,
			@RequestParam(name = "phone-consent", required = false) String consent, Principal principal,
			HttpServletRequest request, Model model, Locale locale) {
		String userId = principal.getName();
		Optional<AccountService.LinkedIdentity> old = first(userId);
		if (!applies(userId) || this.changes.waiting(userId).isPresent()) {
			return "redirect:/account/phone";
		}
		Optional<VerifyOutcome.Verified> proven = this.form.verify(phone, code, consent, userId, request, model, locale);
		if (proven.isEmpty()) {
			return lostStep(model, userId);
		}
		this.changes.step(userId, AuditTypes.PHONE_CHANGE_PROVED, "number", "new");
		PhoneChanges.Outcome outcome = this.changes.schedule(userId, old.orElse(null), proven.get().phone(), locale);
		if (outcome instanceof PhoneChanges.Scheduled) {
			return "redirect:/account?notice=phone-change-scheduled";
		}
		model.addAttribute("notice", null);
		model.addAttribute("error", text(locale, problem(outcome)));
		return lostStep(model, userId);
	}

	/** The person, or anyone signed in to the account another way, stops the waiting change. */
	@PostMapping("/account/phone/change/cancel")
	String cancel(Principal principal) {
		boolean cancelled = this.changes.cancel(principal.getName(), "user:" + principal.getName());
		return "redirect:/account" + (cancelled ? "?notice=phone-change-cancelled" : "");
	}

	/** The banner on {@code /account} for every sign-in of an account with a waiting change. */
	@Override
	public List<Notice> show(Collection<String> accountIds, Locale locale) {
		return this.changes.waitingFor(accountIds).stream().map(waiting -> {
			this.changes.shown(waiting);
			return new Notice(text(locale, "phone.change.banner", waiting.newNumberMasked(), format(waiting.dueAt())),
					"/account/phone/change");
		}).toList();
	}

	private String waitingPage(PhoneChanges.Waiting waiting, Model model, Locale locale) {
		model.addAttribute("step", "waiting");
		model.addAttribute("waiting", waiting);
		model.addAttribute("dueAt", format(waiting.dueAt()));
		model.addAttribute("requestedAt", format(waiting.requestedAt()));
		return PAGE;
	}

	private String oldStep(Model model, String userId) {
		model.addAttribute("step", "old");
		first(userId).ifPresent(old -> model.addAttribute("oldMasked", AccountLinking.maskPhone(old.key())));
		return PAGE;
	}

	private String newStep(Model model, String userId, HttpSession session) {
		model.addAttribute("step", "new");
		proof(session, userId).flatMap(p -> bound(userId, p.identityId()))
			.ifPresent(old -> model.addAttribute("oldMasked", AccountLinking.maskPhone(old.key())));
		return PAGE;
	}

	private String lostStep(Model model, String userId) {
		model.addAttribute("step", "lost");
		model.addAttribute("waitDays", this.properties.lostNumberWait().toDays());
		model.addAttribute("waitHours", this.properties.lostNumberWait().toHours());
		first(userId).ifPresent(old -> model.addAttribute("oldMasked", AccountLinking.maskPhone(old.key())));
		model.addAttribute("removed", first(userId).isEmpty());
		return PAGE;
	}

	/** The number a change replaces: the account's oldest phone. */
	private Optional<AccountService.LinkedIdentity> first(String userId) {
		return this.changes.boundPhones(userId).stream().findFirst();
	}

	private Optional<AccountService.LinkedIdentity> bound(String userId, String identityId) {
		return this.changes.boundPhones(userId).stream().filter(i -> i.id().equals(identityId)).findFirst();
	}

	/** The session's proof of the old number, if it is this account's and still fresh. */
	private Optional<OldNumberProof> proof(HttpSession session, String userId) {
		if (session.getAttribute(OLD_PROVED) instanceof OldNumberProof proof && proof.userId().equals(userId)
				&& proof.provedAt().plus(this.properties.proofTtl()).isAfter(this.clock.instant())) {
			return Optional.of(proof);
		}
		return Optional.empty();
	}

	private static String problem(PhoneChanges.Outcome outcome) {
		return switch (outcome) {
			case PhoneChanges.Taken taken -> "phone.change.error.taken";
			case PhoneChanges.Same same -> "phone.change.error.same";
			case PhoneChanges.AlreadyScheduled already -> "phone.change.error.already-scheduled";
			case PhoneChanges.Changed changed -> throw new IllegalArgumentException("not a problem");
			case PhoneChanges.Scheduled scheduled -> throw new IllegalArgumentException("not a problem");
		};
	}

	private String format(Instant instant) {
		return this.time.withZone(instant);
	}

	private String text(Locale locale, String key, Object... args) {
		return this.messages.getMessage(key, args, locale);
	}

}
