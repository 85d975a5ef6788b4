package dev.tongxing.server.login;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Asks a signed-in person whether to sign out, when an app sent them to the logout endpoint without saying
 * which app it is (no {@code id_token_hint}); the form posts to the session logout ({@code /logout}, CSRF-bound).
 */
@Controller
class SignOutPage {

	@GetMapping("/logout/confirm")
	String confirm() {
		return "login/sign-out";
	}

}
