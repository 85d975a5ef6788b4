package dev.tongxing.server.connector.passkey;

import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.login.LoginCompletion;
import dev.tongxing.server.login.LoginFailureCause;
import dev.tongxing.server.ratelimit.SignInAttempts;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.server.ResponseStatusException;

/**
 * Signing in with a passkey: the page asks for a challenge, the browser's authenticator signs it, and a
 * verified assertion ends in {@link LoginCompletion} like every way in (the same account, then back to the
 * client's authorization request through the same gates). The browser is told where to go next, as JSON.
 */
@Controller
class PasskeyLoginController {

	private final Passkeys passkeys;

	private final PasskeyConnector connector;

	private final LoginCompletion completion;

	private final MessageSource messages;

	private final ObjectProvider<SignInAttempts> attempts;

	private final Clock clock;

	PasskeyLoginController(Passkeys passkeys, PasskeyConnector connector, LoginCompletion completion,
			MessageSource messages, ObjectProvider<SignInAttempts> attempts, Clock clock) {
		this.passkeys = passkeys;
		this.connector = connector;
		this.completion = completion;
		this.messages = messages;
		this.attempts = attempts;
		this.clock = clock;
	}

	/** Where the button leads without JavaScript, or when a person opens it directly. */
	@GetMapping("/login/passkey")
	String page() {
		requireEnabled();
		return "passkey/login";
	}

	@PostMapping(path = "/login/passkey/options", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<?> options(HttpServletRequest request, Locale locale) {
		requireEnabled();
		ResponseEntity<Map<String, String>> tooMany = tooMany(request, locale);
		if (tooMany != null) {
			return tooMany;
		}
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(this.passkeys.beginSignIn(request));
	}

	@PostMapping(path = "/login/passkey/sign-in", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Map<String, String>> signIn(@RequestBody(required = false) String body, HttpServletRequest request,
			HttpServletResponse response, Locale locale) {
		requireEnabled();
		ResponseEntity<Map<String, String>> tooMany = tooMany(request, locale);
		if (tooMany != null) {
			return tooMany;
		}
		ExternalIdentity identity;
		try {
			identity = this.passkeys.finishSignIn(body, request);
		}
		catch (PasskeyFailure failed) {
			this.completion.failed(Passkeys.METHOD, null, failed.failureCause(), failed.upstreamError(), request);
			return ResponseEntity.badRequest()
				.body(Map.of("error", this.messages.getMessage(failed.messageKey(), null, locale)));
		}
		return ResponseEntity.ok(Map.of("redirect", this.completion.complete(identity, request, response)));
	}

	/** A ceremony from an address that started too many: 429, recorded as a refused login like every other. */
	private ResponseEntity<Map<String, String>> tooMany(HttpServletRequest request, Locale locale) {
		SignInAttempts limit = this.attempts.getIfAvailable();
		Instant retryAt = limit == null ? null : limit.beforeAttempt(Passkeys.METHOD, request);
		if (retryAt == null) {
			return null;
		}
		long seconds = Math.max(1, (Duration.between(this.clock.instant(), retryAt).toMillis() + 999) / 1000);
		this.completion.failed(Passkeys.METHOD, null, LoginFailureCause.RISK_CONTROL,
				PasskeyFailure.WHERE + " too-many-attempts", request);
		return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
			.header("Retry-After", Long.toString(seconds))
			.body(Map.of("error", this.messages.getMessage("passkey.error.too-many", new Object[] { seconds }, locale)));
	}

	private void requireEnabled() {
		if (!this.connector.enabled()) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND);
		}
	}

}
