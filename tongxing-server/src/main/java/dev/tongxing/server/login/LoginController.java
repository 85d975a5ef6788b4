package dev.tongxing.server.login;

import java.util.Comparator;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The login page: every enabled login method, in order. */
@Controller
class LoginController {

	private final List<LoginMethodSource> sources;

	LoginController(List<LoginMethodSource> sources) {
		this.sources = sources;
	}

	@GetMapping("/login")
	String login(Model model) {
		List<LoginMethod> methods = this.sources.stream()
			.flatMap(source -> source.loginMethods().stream())
			.sorted(Comparator.comparingInt(LoginMethod::order))
			.toList();
		model.addAttribute("methods", methods);
		return "login/login";
	}

}
