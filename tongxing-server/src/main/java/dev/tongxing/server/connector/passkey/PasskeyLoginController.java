package dev.tongxing.server.connector.passkey;

import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.login.LoginCompletion;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
import java.util.Map;
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

	PasskeyLoginController(Passkeys passkeys, PasskeyConnector connector, LoginCompletion completion,
			MessageSource messages) {
		this.passkeys = passkeys;
		this.connector = connector;
		this.completion = completion;
		this.messages = messages;
	}

	/** Where the button leads without JavaScript, or when a person opens it directly. */
	@GetMapping("/login/passkey")
	String page() {
		requireEnabled();
		return "passkey/login";
	}

	@PostMapping(path = "/login/passkey/options", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<String> options(HttpServletRequest request) {
		requireEnabled();
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(this.passkeys.beginSignIn(request));
	}

	@PostMapping(path = "/login/passkey/sign-in", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Map<String, String>> signIn(@RequestBody(required = false) String body, HttpServletRequest request,
			HttpServletResponse response, Locale locale) {
		requireEnabled();
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

	private void requireEnabled() {
		if (!this.connector.enabled()) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND);
		}
	}

}
