package dev.tongxing.example.web;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** One page: who is signed in (their {@code sub} and name, from the ID token Tongxing issued), or a sign-in link. */
@Controller
class HomeController {

	@GetMapping("/")
	String home(@AuthenticationPrincipal OidcUser person, Model model) {
		if (person != null) {
			model.addAttribute("sub", person.getSubject());
			model.addAttribute("name", person.getFullName() != null ? person.getFullName() : person.getPreferredUsername());
			model.addAttribute("issuer", person.getIssuer());
		}
		return "home";
	}

}
