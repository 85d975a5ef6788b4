package dev.tongxing.server.connector.phone;

import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.account.ExternalIdentity.Profile;
import dev.tongxing.server.login.LoginCompletion;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The phone login page: ask for a code, type it in, signed in. Plain forms, so it works without
 * JavaScript. The client address for the send limits is {@code request.getRemoteAddr()}: behind a reverse
 * proxy set {@code server.forward-headers-strategy=native} so that it is the person's, not the proxy's.
 */
@Controller
class PhoneLoginController {

	private static final String PAGE = "phone/login";

	private final PhoneVerification verification;

	private final PhoneNumbers numbers;

	private final LoginCompletion completion;

	private final PhoneProperties properties;

	private final MessageSource messages;

	private final Clock clock;

	PhoneLoginController(PhoneVerification verification, PhoneNumbers numbers, LoginCompletion completion,
			PhoneProperties properties, MessageSource messages, Clock clock) {
		this.verification = verification;
		this.numbers = numbers;
		this.completion = completion;
		this.properties = properties;
		this.messages = messages;
		this.clock = clock;
	}

	@GetMapping("/login/phone")
	String page(Model model, Locale locale) {
		model.addAttribute("phone", "");
		if (!this.verification.available()) {
			model.addAttribute("error", text(locale, "phone.error.unavailable"));
		}
		return PAGE;
	}

	@PostMapping("/login/phone/send")
	String send(@RequestParam(defaultValue = "") String phone, HttpServletRequest request, Model model,
			Locale locale) {
		model.addAttribute("phone", phone);
		switch (this.verification.send(phone, request.getRemoteAddr())) {
			case SendOutcome.Sent sent -> {
				model.addAttribute("phone", sent.phone());
				model.addAttribute("notice", text(locale, "phone.sent", this.numbers.display(sent.phone()),
						this.properties.codeTtl().toMinutes()));
			}
			case SendOutcome.InvalidNumber invalid -> model.addAttribute("error", text(locale, "phone.error.invalid-number"));
			case SendOutcome.Limited limited -> model.addAttribute("error", text(locale, "phone.error.limited",
					WaitTime.describe(this.clock.instant(), limited.retryAt(), this.messages, locale)));
			case SendOutcome.Failed failed -> model.addAttribute("error", text(locale,
					this.verification.available() ? "phone.error.send-failed" : "phone.error.unavailable"));
		}
		return PAGE;
	}

	@PostMapping("/login/phone/sign-in")
	String signIn(@RequestParam(defaultValue = "") String phone, @RequestParam(defaultValue = "") String code,
			HttpServletRequest request, HttpServletResponse response, Model model, Locale locale) {
		model.addAttribute("phone", phone);
		String entered = code.replaceAll("\\s", "");
		if (!entered.matches("[0-9]{6}")) {
			// a typo in the code's shape costs no try
			model.addAttribute("error", text(locale, "phone.error.code-format"));
			return PAGE;
		}
		VerifyOutcome outcome = this.verification.verify(phone, entered);
		if (outcome instanceof VerifyOutcome.Verified verified) {
			ExternalIdentity identity = new ExternalIdentity("phone",
					List.of(new IdentityKey("phone", verified.phone())), new Profile(null, null, verified.phone()));
			return "redirect:" + this.completion.complete(identity, request, response);
		}
		model.addAttribute("error", problem(outcome, locale));
		return PAGE;
	}

	private String problem(VerifyOutcome outcome, Locale locale) {
		return switch (outcome) {
			case VerifyOutcome.Verified verified -> throw new IllegalArgumentException("Verified is not a problem");
			case VerifyOutcome.InvalidNumber invalid -> text(locale, "phone.error.invalid-number");
			case VerifyOutcome.WrongCode wrong when wrong.attemptsLeft() > 0 ->
				text(locale, "phone.error.wrong-code", wrong.attemptsLeft());
			case VerifyOutcome.WrongCode wrong -> text(locale, "phone.error.wrong-code-last");
			case VerifyOutcome.NoCode none -> text(locale, "phone.error.no-code");
			case VerifyOutcome.Expired expired -> text(locale, "phone.error.expired");
			case VerifyOutcome.TooManyAttempts tooMany -> text(locale, "phone.error.too-many-attempts");
		};
	}

	private String text(Locale locale, String key, Object... args) {
		return this.messages.getMessage(key, args, locale);
	}

}
