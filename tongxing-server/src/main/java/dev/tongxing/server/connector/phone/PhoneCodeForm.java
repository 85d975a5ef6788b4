package dev.tongxing.server.connector.phone;

import dev.tongxing.server.consent.PhoneNumberConsent;
import dev.tongxing.server.ratelimit.PhoneAbuseGuard;
import dev.tongxing.server.login.LoginFailureCause;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;

/**
 * The two steps every phone page shares — "send me a code" and "here is the code" — with the page's
 * messages: the model gets {@code phone}, and a {@code notice} or an {@code error} in the person's words.
 * The client address for the send limits is {@code request.getRemoteAddr()}: behind a reverse proxy list it in
 * {@code tongxing.proxy.trusted-proxies} so that it is the person's, not the proxy's.
 */
@Component
class PhoneCodeForm {

	private final PhoneVerification verification;

	private final PhoneNumbers numbers;

	private final PhoneProperties properties;

	private final MessageSource messages;

	private final Clock clock;

	private final org.springframework.beans.factory.ObjectProvider<PhoneAbuseGuard> guard;

	private final PhoneNumberConsent consent;

	PhoneCodeForm(PhoneVerification verification, PhoneNumbers numbers, PhoneProperties properties,
			MessageSource messages, Clock clock, org.springframework.beans.factory.ObjectProvider<PhoneAbuseGuard> guard,
			PhoneNumberConsent consent) {
		this.guard = guard;
		this.consent = consent;
		this.verification = verification;
		this.numbers = numbers;
		this.properties = properties;
		this.messages = messages;
		this.clock = clock;
	}

	/**
	 * A fresh page: an empty number, the phone-number notice with its own box (ticked already if this session
	 * gave the consent), and a notice when codes cannot be sent at all.
	 * @param subject the signed-in person the page is for, or null on a login page
	 */
	void start(Model model, Locale locale, HttpServletRequest request, String subject) {
		model.addAttribute("phone", "");
		notice(model, request, subject);
		if (!this.verification.available()) {
			model.addAttribute("error", text(locale, "phone.error.unavailable"));
		}
	}

	private boolean notice(Model model, HttpServletRequest request, String subject) {
		boolean given = this.consent.given(request, subject);
		model.addAttribute("phoneNotice", this.consent.notice());
		model.addAttribute("phoneConsentGiven", given);
		return given;
	}

	/**
	 * Nothing happens to the number before the person's separate consent to the phone-number notice: given in
	 * this session, or with this very form ({@code consentVersion}, the box's value).
	 * @param subject the signed-in person the page is for (the consent is recorded for them at once), or null on
	 * a login page (recorded for whoever signs in with the phone)
	 * @return what became of the request, the page's words already on the model
	 */
	SendOutcome send(String phone, String consentVersion, String subject, HttpServletRequest request, Model model,
			Locale locale) {
		model.addAttribute("phone", phone);
		if (!this.consent.given(request, subject) && !this.consent.give(consentVersion, request, subject)) {
			notice(model, request, subject);
			model.addAttribute("error", text(locale, "phone.error.consent-required"));
			return new SendOutcome.ConsentMissing();
		}
		notice(model, request, subject);
		return sendChecked(phone, null, request, model, locale);
	}

	/**
	 * A code to a number the account already holds (to prove it before changing it): no new collection, so no
	 * new consent; the same send limits and checks as every code. The page names the number only masked — the
	 * person at the keyboard may not be its owner.
	 */
	SendOutcome sendToBound(String e164, HttpServletRequest request, Model model, Locale locale) {
		return sendChecked(e164, dev.tongxing.server.account.AccountLinking.maskPhone(e164), request, model, locale);
	}

	/** @param masked how the notice names the number, or null for in full (and it goes on the model) */
	private SendOutcome sendChecked(String phone, String masked, HttpServletRequest request, Model model,
			Locale locale) {
		Optional<String> e164 = this.numbers.toE164(phone);
		PhoneAbuseGuard abuse = this.guard.getIfAvailable();
		if (e164.isPresent() && abuse != null
				&& abuse.beforeSend(e164.get(), request) instanceof PhoneAbuseGuard.Challenge challenge) {
			model.addAttribute("challenge", challenge);
			model.addAttribute("error", text(locale, challenge.unavailable() ? "phone.error.challenge-unavailable"
					: challenge.kind().equals("pow") ? "phone.error.challenge" : "phone.error.captcha"));
			String csp = challenge.widget().get("csp");
			if (csp != null && org.springframework.web.context.request.RequestContextHolder
				.getRequestAttributes() instanceof org.springframework.web.context.request.ServletRequestAttributes attributes
					&& attributes.getResponse() != null) {
				// the captcha's widget, on this page only
				dev.tongxing.server.web.SecurityHeaders.allowOnThisPage(attributes.getResponse(),
						java.util.List.of(csp.split(" ")));
			}
			return new SendOutcome.Limited(e164.get(), this.clock.instant());
		}
		SendOutcome outcome = this.verification.send(phone, request.getRemoteAddr());
		switch (outcome) {
			case SendOutcome.Sent sent -> {
				if (masked == null) {
					model.addAttribute("phone", sent.phone());
				}
				model.addAttribute("notice", text(locale, "phone.sent",
						masked != null ? masked : this.numbers.display(sent.phone()), this.properties.codeTtl().toMinutes()));
			}
			case SendOutcome.ConsentMissing missing -> model.addAttribute("error", text(locale, "phone.error.consent-required"));
			case SendOutcome.InvalidNumber invalid -> model.addAttribute("error", text(locale, "phone.error.invalid-number"));
			case SendOutcome.Limited limited -> model.addAttribute("error", text(locale, "phone.error.limited",
					WaitTime.describe(this.clock.instant(), limited.retryAt(), this.messages, locale)));
			case SendOutcome.Failed failed -> model.addAttribute("error", text(locale,
					!this.verification.available() ? "phone.error.unavailable"
							: failed.cause() == LoginFailureCause.USER_INPUT ? "phone.error.invalid-number"
							: failed.upstreamUnavailable() ? "phone.error.sms-unavailable" : "phone.error.send-failed"));
		}
		return outcome;
	}

	/**
	 * @param consentVersion, subject as for {@link #send}: without the consent the code is not even checked
	 * @return the proof of the number, or empty with the reason on the model
	 */
	Optional<VerifyOutcome.Verified> verify(String phone, String code, String consentVersion, String subject,
			HttpServletRequest request, Model model, Locale locale) {
		model.addAttribute("phone", phone);
		if (!this.consent.given(request, subject) && !this.consent.give(consentVersion, request, subject)) {
			notice(model, request, subject);
			model.addAttribute("error", text(locale, "phone.error.consent-required"));
			return Optional.empty();
		}
		notice(model, request, subject);
		return verifyChecked(phone, code, request, model, locale);
	}

	/** A code sent by {@link #sendToBound}: the same checks and limits as {@link #verify}, no consent asked. */
	Optional<VerifyOutcome.Verified> verifyBound(String e164, String code, HttpServletRequest request, Model model,
			Locale locale) {
		return verifyChecked(e164, code, request, model, locale);
	}

	private Optional<VerifyOutcome.Verified> verifyChecked(String phone, String code, HttpServletRequest request,
			Model model, Locale locale) {
		String entered = code.replaceAll("\\s", "");
		if (!entered.matches("[0-9]{6}")) {
			// a typo in the code's shape costs no try
			model.addAttribute("error", text(locale, "phone.error.code-format"));
			return Optional.empty();
		}
		Optional<String> e164 = this.numbers.toE164(phone);
		PhoneAbuseGuard abuse = this.guard.getIfAvailable();
		java.time.Instant retryAt = e164.isEmpty() || abuse == null ? null : abuse.beforeVerify(e164.get(), request);
		if (retryAt != null) {
			model.addAttribute("error", text(locale, PhoneAbuseGuard.refusedForAddress(request)
					? "phone.error.verify-limited-address" : "phone.error.verify-limited",
					WaitTime.describe(this.clock.instant(), retryAt, this.messages, locale)));
			return Optional.empty();
		}
		VerifyOutcome outcome = this.verification.verify(phone, entered);
		if (outcome instanceof VerifyOutcome.Verified verified) {
			return Optional.of(verified);
		}
		model.addAttribute("error", problem(outcome, locale));
		return Optional.empty();
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
