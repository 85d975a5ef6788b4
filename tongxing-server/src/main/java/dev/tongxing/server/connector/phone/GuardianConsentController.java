package dev.tongxing.server.connector.phone;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.consent.PhoneNumberConsent;
import dev.tongxing.server.minors.Minors;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * A guardian's consent for a child under 14 (PIPL Art. 31; 未成年人保护法 Art. 72), on the child's signed-in
 * session: the children's personal-information rules are shown, the guardian proves a phone number of their own
 * with a code (after the phone-number notice's own box, like every phone page), and the consent is recorded with
 * the guardian as the actor ({@code guardian:<keyed digest of the number>}). The child's own bound number is not
 * a guardian's.
 */
@Controller
class GuardianConsentController {

	private static final String PAGE = "phone/guardian";

	private final PhoneCodeForm form;

	private final Minors minors;

	private final PhoneDigests digests;

	private final AccountService accounts;

	private final PhoneNumberConsent phoneConsent;

	GuardianConsentController(PhoneCodeForm form, Minors minors, PhoneDigests digests, AccountService accounts,
			PhoneNumberConsent phoneConsent) {
		this.form = form;
		this.minors = minors;
		this.digests = digests;
		this.accounts = accounts;
		this.phoneConsent = phoneConsent;
	}

	private boolean waiting(Principal principal) {
		return this.minors.standing(principal.getName()).filter(Minors.Standing::waitingForGuardian).isPresent();
	}

	@GetMapping("/account/guardian")
	String page(Principal principal, HttpServletRequest request, Model model, Locale locale) {
		if (!waiting(principal)) {
			return "redirect:/account/age/continue";
		}
		this.form.start(model, locale, request, null);
		return PAGE;
	}

	@PostMapping("/account/guardian/send")
	String send(@RequestParam(defaultValue = "") String phone,
			@RequestParam(name = "phone-consent", required = false) String consent, Principal principal,
			HttpServletRequest request, Model model, Locale locale) {
		if (!waiting(principal)) {
			return "redirect:/account/age/continue";
		}
		this.form.send(phone, consent, null, request, model, locale);
		return PAGE;
	}

	@PostMapping("/account/guardian/verify")
	String verify(@RequestParam(defaultValue = "") String phone, @RequestParam(defaultValue = "") String code,
			@RequestParam(name = "phone-consent", required = false) String consent, Principal principal,
			HttpServletRequest request, Model model, Locale locale) {
		if (!waiting(principal)) {
			return "redirect:/account/age/continue";
		}
		Optional<String> proven = this.form.verify(phone, code, consent, null, request, model, locale)
			.map(VerifyOutcome.Verified::phone);
		if (proven.isEmpty()) {
			return PAGE;
		}
		boolean own = this.accounts.identities(principal.getName())
			.stream()
			.anyMatch(identity -> "phone".equals(identity.provider()) && proven.get().equals(identity.key()));
		if (own) {
			model.addAttribute("ownPhone", true);
			return PAGE;
		}
		this.minors.guardianConsented(principal.getName(), "guardian:" + this.digests.phone(proven.get()));
		// the guardian's box was for this step; it is not the child's consent to a number of their own
		this.phoneConsent.discardPending(request);
		return "redirect:/account/age/continue";
	}

}
