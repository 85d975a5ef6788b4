package dev.tongxing.server.login.dev;

import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.login.spi.Connector;
import dev.tongxing.server.login.spi.IdentityNamespaces;
import dev.tongxing.server.login.LoginCompletion;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Development-only "test user" login: pick a name, you are that user. Exists only with the {@code dev}
 * profile, so no production gateway can offer it.
 */
@Controller
@Profile("dev")
class DevLoginController implements Connector {

	private final LoginCompletion completion;

	private final List<String> testUsers;

	DevLoginController(LoginCompletion completion,
			@Value("${tongxing.dev.test-users:alice,bob}") List<String> testUsers) {
		this.completion = completion;
		this.testUsers = testUsers;
	}

	@Override
	public String id() {
		return "dev";
	}

	@Override
	public Labels labels() {
		return new Labels("login.method.dev", "account.method.dev", null, "/login/dev", 900);
	}

	@Override
	public IdentityNamespaces identities() {
		return new IdentityNamespaces(java.util.Set.of("dev"), false, key -> key);
	}

	@GetMapping("/login/dev")
	String page(Model model) {
		model.addAttribute("testUsers", this.testUsers);
		return "login/dev";
	}

	@PostMapping("/login/dev")
	String signIn(@RequestParam String username, HttpServletRequest request, HttpServletResponse response,
			Model model) {
		String name = username.strip();
		if (!name.matches("[\\p{L}\\p{N}._-]{1,40}")) {
			model.addAttribute("testUsers", this.testUsers);
			model.addAttribute("error", "login.dev.invalid");
			return "login/dev";
		}
		return "redirect:" + this.completion.complete(new ExternalIdentity("dev", name, name), request, response);
	}

}
