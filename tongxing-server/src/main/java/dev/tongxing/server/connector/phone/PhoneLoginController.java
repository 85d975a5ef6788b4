package dev.tongxing.server.connector.phone;

import dev.tongxing.server.login.LoginCompletion;
import dev.tongxing.server.login.LoginFailureCause;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The phone login page: ask for a code, type it in, signed in. Plain forms, so it works without JavaScript. */
@Controller
class PhoneLoginController {

	private static final String PAGE = "phone/login";

	private final PhoneCodeForm form;

	private final PhoneUpstreamLogin phone;

	private final LoginCompletion completion;

	PhoneLoginController(PhoneCodeForm form, PhoneUpstreamLogin phone, LoginCompletion completion) {
		this.form = form;
		this.phone = phone;
		this.completion = completion;
	}

	@GetMapping("/login/phone")
	String page(Model model, Locale locale, HttpServletRequest request, HttpServletResponse response) {
		DeviceCookie.ensure(request, response);
		this.form.start(model, locale, request, null);
		return PAGE;
	}

	@PostMapping("/login/phone/send")
	String send(@RequestParam(defaultValue = "") String phone,
			@RequestParam(name = "phone-consent", required = false) String consent, HttpServletRequest request,
			Model model, Locale locale) {
		if (this.form.send(phone, consent, null, request, model, locale) instanceof SendOutcome.Failed failed
				&& failed.upstreamError() != null) {
			// the person cannot sign in this way right now: a failed login, counted and explained like any other
			this.completion.failed("phone", null, failed.cause(), failed.upstreamError(), request);
		}
		return PAGE;
	}

	@PostMapping("/login/phone/sign-in")
	String signIn(@RequestParam(defaultValue = "") String phone, @RequestParam(defaultValue = "") String code,
			@RequestParam(name = "phone-consent", required = false) String consent,
			HttpServletRequest request, HttpServletResponse response, Model model, Locale locale) {
		Optional<VerifyOutcome.Verified> proven = this.form.verify(phone, code, consent, null, request, model, locale);
		if (proven.isEmpty()) {
			this.completion.failed("phone", null, LoginFailureCause.USER_INPUT, null, request);
			return PAGE;
		}
		return "redirect:" + this.completion.complete(this.phone.identify(proven.get()), request, response);
	}

}
