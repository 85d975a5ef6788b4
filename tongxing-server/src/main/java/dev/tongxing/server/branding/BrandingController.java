package dev.tongxing.server.branding;

import java.util.concurrent.TimeUnit;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The configured colours as a stylesheet (the pages' Content-Security-Policy allows no inline styles): the
 * deployment's, or a first-party client's over them ({@code ?client=}).
 */
@RestController
class BrandingController {

	private final Branding branding;

	BrandingController(Branding branding) {
		this.branding = branding;
	}

	@GetMapping(Branding.THEME_PATH)
	ResponseEntity<String> theme(@RequestParam(name = "client", required = false) String client) {
		Look look = this.branding.look(this.branding.hasClient(client) ? client : null);
		StringBuilder css = new StringBuilder(":root {");
		// each value was checked to be a CSS colour at start-up, so it cannot close the declaration
		if (look.primaryColor() != null) {
			css.append(" --primary: ").append(look.primaryColor().strip()).append(';');
		}
		if (look.accentColor() != null) {
			css.append(" --accent: ").append(look.accentColor().strip()).append(';');
		}
		css.append(" }\n");
		return ResponseEntity.ok()
			.contentType(new MediaType("text", "css", java.nio.charset.StandardCharsets.UTF_8))
			.cacheControl(CacheControl.maxAge(5, TimeUnit.MINUTES).cachePublic())
			.body(css.toString());
	}

}
