package dev.tongxing.server.demo;

import dev.tongxing.server.oidc.OidcProperties;
import dev.tongxing.server.oidc.client.ClientDefinition;
import dev.tongxing.server.oidc.client.ClientTier;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * A relying party to click through in development: a single-page app (public client {@code demo}) that
 * signs in with PKCE, then shows the ID token's claims, the access token and userinfo.
 */
@Controller
@Profile("dev")
class DemoController {

	private final String issuer;

	DemoController(OidcProperties properties) {
		this.issuer = properties.issuer();
	}

	@GetMapping({ "/demo", "/demo/", "/demo/callback" })
	String demo(Model model) {
		model.addAttribute("issuer", this.issuer);
		return "demo/demo";
	}

	/** The demo's registration follows the issuer, so it works on whatever host and port the gateway runs. */
	@Bean
	static ClientDefinition demoClient(OidcProperties properties) {
		return new ClientDefinition("demo", null, "Tongxing demo client",
				List.of(properties.issuer() + "/demo/callback"), List.of(properties.issuer() + "/demo/"),
				List.of("openid", "profile", "phone", "offline_access"), List.of("authorization_code", "refresh_token"),
				ClientTier.C, true, List.of());
	}

}
