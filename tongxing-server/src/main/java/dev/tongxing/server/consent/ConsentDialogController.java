package dev.tongxing.server.consent;

import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.login.LoginCompletion;
import dev.tongxing.server.login.LoginFailureCause;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The privacy-policy dialog. A new person sees it before any account is created; a person whose accepted
 * version was overtaken by a material change sees it at their next sign-in. Nothing is pre-ticked and
 * continuing is not agreeing. Sensitive personal information (the phone number) gets its own box and a
 * second confirmation, as PIPL Art. 29 asks for separate consent.
 */
@Controller
class ConsentDialogController {

	static final String RENEW_CONTINUE = "tongxing.consent.renew-continue";

	static final String SEPARATE = "tongxing.consent.separate";

	private final PrivacyPolicies policies;

	private final ConsentRecords records;

	private final LoginCompletion completion;

	private final PhoneNumberConsent phoneConsent;

	ConsentDialogController(PrivacyPolicies policies, ConsentRecords records, LoginCompletion completion,
			PhoneNumberConsent phoneConsent) {
		this.phoneConsent = phoneConsent;
		this.policies = policies;
		this.records = records;
		this.completion = completion;
	}

	/** The separate-consent items this login involves. */
	private List<String> separateItems(HttpServletRequest request) {
		List<String> items = new ArrayList<>();
		Optional<ExternalIdentity> pending = this.completion.pending(request);
		if (pending.isPresent() && (pending.get().profile().verifiedPhone() != null
				|| pending.get().keys().stream().anyMatch(k -> k.provider().equals("phone")))) {
			items.add("sensitive-phone");
		}
		return items;
	}

	@GetMapping("/privacy/consent")
	String dialog(HttpServletRequest request, Principal principal, Model model, Locale locale) {
		if (this.completion.pending(request).isEmpty() && principal == null) {
			return "redirect:/login";
		}
		PrivacyPolicy policy = this.policies.current();
		model.addAttribute("policy", policy);
		model.addAttribute("html", policy.html(locale));
		model.addAttribute("separate", separateItems(request));
		return "consent/dialog";
	}

	@PostMapping("/privacy/consent")
	String decide(@RequestParam(name = "item", required = false) List<String> items,
			@RequestParam(name = "decision") String decision, HttpServletRequest request,
			HttpServletResponse response, Principal principal, Model model, Locale locale) {
		if ("decline".equals(decision)) {
			return decline(request, principal);
		}
		List<String> checked = items == null ? List.of() : items;
		List<String> separate = separateItems(request);
		if (!checked.contains("policy") || !checked.containsAll(separate)) {
			model.addAttribute("error", "consent.error.unchecked");
			return dialog(request, principal, model, locale);
		}
		if (!separate.isEmpty()) {
			request.getSession().setAttribute(SEPARATE, new ArrayList<>(separate));
			return "redirect:/privacy/consent/confirm";
		}
		return accept(List.of(), request, response, principal);
	}

	@GetMapping("/privacy/consent/confirm")
	String confirmPage(HttpSession session, Model model) {
		model.addAttribute("separate", session.getAttribute(SEPARATE));
		return session.getAttribute(SEPARATE) == null ? "redirect:/privacy/consent" : "consent/confirm";
	}

	@PostMapping("/privacy/consent/confirm")
	String confirm(@RequestParam(name = "decision") String decision, HttpServletRequest request,
			HttpServletResponse response, Principal principal) {
		@SuppressWarnings("unchecked")
		List<String> separate = (List<String>) request.getSession().getAttribute(SEPARATE);
		request.getSession().removeAttribute(SEPARATE);
		if (separate == null) {
			return "redirect:/privacy/consent";
		}
		if (!"confirm".equals(decision)) {
			return decline(request, principal);
		}
		return accept(separate, request, response, principal);
	}

	private String accept(List<String> separate, HttpServletRequest request, HttpServletResponse response,
			Principal principal) {
		PrivacyPolicy policy = this.policies.current();
		Optional<LoginCompletion.Resumed> resumed = this.completion.resume(request, response,
				user -> recordConsent(user.id(), policy, separate, request));
		if (resumed.isPresent()) {
			return "redirect:" + resumed.get().next();
		}
		if (principal == null) {
			return "redirect:/login";
		}
		recordConsent(principal.getName(), policy, separate, request);
		Object renewContinue = request.getSession().getAttribute(RENEW_CONTINUE);
		request.getSession().removeAttribute(RENEW_CONTINUE);
		return "redirect:" + (renewContinue != null ? renewContinue.toString() : "/account");
	}

	private void recordConsent(String subject, PrivacyPolicy policy, List<String> separate,
			HttpServletRequest request) {
		this.records.record(ConsentRecords.Decision.policy(subject, policy, ConsentRecords.State.GIVEN,
				List.of(ConsentRecords.Categories.LOGIN_IDENTIFIERS, ConsentRecords.Categories.PROFILE),
				ConsentRecords.Method.DIALOG));
		if (separate.contains("sensitive-phone") && this.phoneConsent.confirmedInDialog(subject, request)) {
			return; // the phone page's notice, confirmed here: one record, naming the notice's texts
		}
		if (separate.contains("sensitive-phone")) {
			this.records.record(ConsentRecords.Decision.of(subject, policy, ConsentRecords.State.GIVEN)
				.purposes(ConsentRecords.Purpose.LOGIN, ConsentRecords.Purpose.ACCOUNT_RECOVERY)
				.dataCategories(List.of(ConsentRecords.Categories.PHONE_NUMBER))
				.separate()
				.by(ConsentRecords.Method.DIALOG_CONFIRMED)
				.build());
		}
	}

	private String decline(HttpServletRequest request, Principal principal) {
		boolean waiting = this.completion.pending(request).isPresent();
		this.completion.abandon(LoginFailureCause.CONSENT_DECLINED, request);
		if (!waiting && principal != null) {
			this.records.record(ConsentRecords.Decision.of(principal.getName(), this.policies.current(),
					ConsentRecords.State.REFUSED)
				.purposes(ConsentRecords.Purpose.LOGIN)
				.by(ConsentRecords.Method.DIALOG)
				.build());
			request.getSession().invalidate(); // no consent, no session
		}
		return "redirect:/login?error=consent.declined";
	}

}
