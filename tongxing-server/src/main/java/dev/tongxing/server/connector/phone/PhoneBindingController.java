package dev.tongxing.server.connector.phone;

import dev.tongxing.server.account.AccountLinking;
import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.account.UserAccount;
import dev.tongxing.server.login.PostLoginStep;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.security.Principal;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Binding a phone to the signed-in account, so that a person whose WeChat login breaks can still get
 * in. Offered on the account page, and — once, right after a WeChat sign-in with no phone bound — as an
 * invitation the person may decline ("not now", {@code data-action="skip"}). A "Not now" is stored, and the
 * invitation is not shown again until {@code tongxing.phone.invitation.cool-down} has passed (网络数据安全管理条例
 * Art. 22: no asking again after a clear refusal); the account page's own link stays. Once a number is bound,
 * these URLs change it instead, which takes more than one code ({@link PhoneChangeController}).
 */
@Controller
class PhoneBindingController implements PostLoginStep {

	private static final String PAGE = "phone/bind";

	/** Where the person goes after the invitation, bound or not. */
	static final String CONTINUE = "tongxing.phone.invitation.continue";

	private final PhoneCodeForm form;

	private final PhoneVerification verification;

	private final AccountService accounts;

	private final AccountLinking linking;

	private final PhoneInvitationDeclines declines;

	private final PhoneChangeController change;

	PhoneBindingController(PhoneCodeForm form, PhoneVerification verification, AccountService accounts,
			AccountLinking linking, PhoneInvitationDeclines declines, PhoneChangeController change) {
		this.declines = declines;
		this.change = change;
		this.form = form;
		this.verification = verification;
		this.accounts = accounts;
		this.linking = linking;
	}

	@Override
	public Optional<String> interpose(UserAccount user, String method, String continueUrl, HttpServletRequest request) {
		if (!"wechat".equals(method) || !this.verification.available() || hasPhone(user.id())
				|| this.declines.coolingDown(user.id()) || this.change.applies(user.id())) {
			// nor right after the person removed their number themselves: binding another one waits now
			return Optional.empty();
		}
		request.getSession().setAttribute(CONTINUE, continueUrl);
		return Optional.of("/account/phone?invite");
	}

	private boolean hasPhone(String userId) {
		return this.accounts.identities(userId).stream().anyMatch(i -> i.provider().equals("phone"));
	}

	@GetMapping("/account/phone")
	String page(@RequestParam(name = "invite", required = false) String invite, HttpSession session, Model model,
			Locale locale, Principal principal, HttpServletRequest request,
			jakarta.servlet.http.HttpServletResponse response) {
		DeviceCookie.ensure(request, response);
		if (this.change.applies(principal.getName())) {
			// a number is bound already: replacing it takes a code to it too (or a wait when it is lost)
			return this.change.page(principal.getName(), session, model, locale, request);
		}
		this.form.start(model, locale, request, principal.getName());
		model.addAttribute("invite", invite != null && session.getAttribute(CONTINUE) != null);
		return PAGE;
	}

	@PostMapping("/account/phone/send")
	String send(@RequestParam(defaultValue = "") String phone,
			@RequestParam(name = "phone-consent", required = false) String consent, Principal principal,
			HttpServletRequest request, HttpSession session, Model model, Locale locale) {
		if (this.change.applies(principal.getName())) {
			return this.change.send(principal.getName(), phone, consent, session, request, model, locale);
		}
		this.form.send(phone, consent, principal.getName(), request, model, locale);
		model.addAttribute("invite", session.getAttribute(CONTINUE) != null);
		return PAGE;
	}

	@PostMapping("/account/phone/verify")
	String verify(@RequestParam(defaultValue = "") String phone, @RequestParam(defaultValue = "") String code,
			@RequestParam(name = "phone-consent", required = false) String consent,
			Principal principal, HttpSession session, HttpServletRequest request, Model model,
			Locale locale) {
		if (this.change.applies(principal.getName())) {
			return this.change.verify(principal.getName(), phone, code, consent, session, request, model, locale);
		}
		Optional<String> proven = this.form.verify(phone, code, consent, principal.getName(), request, model, locale).map(VerifyOutcome.Verified::phone);
		if (proven.isEmpty()) {
			model.addAttribute("invite", session.getAttribute(CONTINUE) != null);
			return PAGE;
		}
		String next = this.linking.link(principal.getName(), List.of(new IdentityKey("phone", proven.get())), "phone",
				AccountLinking.maskPhone(proven.get()), session);
		Object continueUrl = session.getAttribute(CONTINUE);
		if (continueUrl != null && !next.equals("/account/merge")) {
			session.removeAttribute(CONTINUE);
			return "redirect:" + continueUrl;
		}
		return "redirect:" + next;
	}

	/** "Not now": stored when it answers the invitation, so that it is not asked again during the cool-down. */
	@GetMapping("/account/phone/skip")
	String skip(HttpSession session, Principal principal) {
		Object continueUrl = session.getAttribute(CONTINUE);
		session.removeAttribute(CONTINUE);
		if (continueUrl != null) {
			this.declines.decline(principal.getName());
		}
		return "redirect:" + (continueUrl != null ? continueUrl : "/account");
	}

}
