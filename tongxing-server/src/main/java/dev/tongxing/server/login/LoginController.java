package dev.tongxing.server.login;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The login page: every enabled login method, working ones first, a plain-words notice for any that is
 * failing, and the message of a login that just failed.
 */
@Controller
class LoginController {

	private final Connectors connectors;

	private final MessageSource messages;

	LoginController(Connectors connectors, MessageSource messages) {
		this.connectors = connectors;
		this.messages = messages;
	}

	@GetMapping("/login")
	String login(@RequestParam(name = "error", required = false) String error, Model model, Locale locale) {
		List<LoginMethod> methods = this.connectors.loginMethods()
			.stream()
			.sorted(Comparator.comparing(LoginMethod::degraded).thenComparingInt(LoginMethod::order))
			.toList();
		model.addAttribute("methods", methods);
		model.addAttribute("notices", methods.stream().filter(LoginMethod::degraded).toList());
		// only a known message key is shown: the parameter comes from the address bar
		if (error != null && error.matches("[a-z0-9.-]{1,60}")
				&& this.messages.getMessage("login.error." + error, null, null, locale) != null) {
			model.addAttribute("errorKey", "login.error." + error);
		}
		return "login/login";
	}

}
