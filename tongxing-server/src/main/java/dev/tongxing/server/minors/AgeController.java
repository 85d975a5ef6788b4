package dev.tongxing.server.minors;

import dev.tongxing.server.oidc.OidcProperties;
import jakarta.servlet.http.HttpSession;
import java.security.Principal;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponents;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The pages of the minors' rules: the age question (nothing pre-selected), the children's personal-information
 * rules (public, shown to guardians), and the page a minor sees instead of an adults-only client, with the
 * way back to the app carrying {@code error=access_denied} to its registered redirect URI.
 */
@Controller
class AgeController {

	private final Minors minors;

	private final MinorsStep step;

	private final RegisteredClientRepository clients;

	private final String issuer;

	AgeController(Minors minors, MinorsStep step, RegisteredClientRepository clients, OidcProperties oidc) {
		this.minors = minors;
		this.step = step;
		this.clients = clients;
		this.issuer = oidc.issuer();
	}

	@GetMapping("/privacy/children")
	String childrensRules() {
		return "minors/children";
	}

	@GetMapping(MinorsStep.AGE_PAGE)
	String agePage(Principal principal, Model model) {
		if (this.minors.ageCheck() == MinorsProperties.AgeCheck.OFF
				|| this.minors.standing(principal.getName()).isPresent()) {
			return "redirect:/account";
		}
		model.addAttribute("verified", this.minors.ageCheck() == MinorsProperties.AgeCheck.VERIFIED);
		return "minors/age";
	}

	@PostMapping(MinorsStep.AGE_PAGE)
	String declare(@RequestParam(name = "bracket", required = false) String bracket, Principal principal,
			HttpSession session, Model model) {
		if (this.minors.ageCheck() != MinorsProperties.AgeCheck.SELF_DECLARED) {
			return "redirect:/account";
		}
		Optional<AgeBracket> chosen = AgeBracket.of(bracket);
		if (chosen.isEmpty()) {
			model.addAttribute("error", "minors.age.error.unchosen");
			model.addAttribute("verified", false);
			return "minors/age";
		}
		this.minors.declare(principal.getName(), chosen.get());
		return "redirect:" + onward(principal.getName(), session);
	}

	/** After the guardian step (or any other): on to the next step, or where the person was going. */
	@GetMapping(MinorsStep.AGE_PAGE + "/continue")
	String proceed(Principal principal, HttpSession session) {
		return "redirect:" + onward(principal.getName(), session);
	}

	/** The next step, or where the person was going. */
	String onward(String userId, HttpSession session) {
		Object continueUrl = session.getAttribute(MinorsStep.CONTINUE);
		String target = continueUrl == null ? "/account" : continueUrl.toString();
		Optional<String> next = this.step.next(userId, target);
		if (next.isEmpty()) {
			session.removeAttribute(MinorsStep.CONTINUE);
		}
		return next.orElse(target);
	}

	@GetMapping(MinorsStep.ADULTS_ONLY_PAGE)
	String adultsOnly(HttpSession session, Model model) {
		Object continueUrl = session.getAttribute(MinorsStep.CONTINUE);
		String clientId = MinorsStep.clientOf(continueUrl == null ? null : continueUrl.toString());
		RegisteredClient client = clientId == null ? null : this.clients.findByClientId(clientId);
		model.addAttribute("clientName", client == null ? "" : client.getClientName());
		model.addAttribute("back", client == null ? null : backToClient(client, continueUrl.toString()));
		session.removeAttribute(MinorsStep.CONTINUE);
		return "minors/adults-only";
	}

	/** {@code access_denied} to the client, only at a redirect URI it registered. */
	private String backToClient(RegisteredClient client, String authorizationRequest) {
		Map<String, java.util.List<String>> query = UriComponentsBuilder.fromUriString(authorizationRequest)
			.build()
			.getQueryParams();
		String redirectUri = query.get("redirect_uri") == null ? null
				: java.net.URLDecoder.decode(query.get("redirect_uri").getFirst(), java.nio.charset.StandardCharsets.UTF_8);
		if (redirectUri == null || !client.getRedirectUris().contains(redirectUri)) {
			return null;
		}
		UriComponentsBuilder back = UriComponentsBuilder.fromUriString(redirectUri)
			.queryParam("error", "access_denied")
			.queryParam("error_description", "This client serves adults only")
			.queryParam("iss", this.issuer);
		if (query.get("state") != null) {
			back.queryParam("state",
					java.net.URLDecoder.decode(query.get("state").getFirst(), java.nio.charset.StandardCharsets.UTF_8));
		}
		UriComponents built = back.encode().build();
		return built.toUriString();
	}

}
