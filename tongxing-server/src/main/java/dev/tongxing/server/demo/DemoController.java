package dev.tongxing.server.demo;

import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * A relying party to click through in development: a single-page app (public client {@code demo}) that
 * signs in with PKCE, then shows the ID token's claims, the access token and userinfo.
 */
@Controller
@Profile("dev")
class DemoController {

	@GetMapping({ "/demo", "/demo/", "/demo/callback" })
	String demo() {
		return "demo/demo";
	}

}
