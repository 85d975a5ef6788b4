package dev.tongxing.server.ops;

import java.util.Locale;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.MessageSource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The public status page (故障公示), its Atom feed and its stylesheet; no login needed. */
@Controller
class StatusController {

	private static final MediaType ATOM = MediaType.parseMediaType("application/atom+xml;charset=UTF-8");

	private final StatusPage page;

	private final MessageSource messages;

	private final String issuer;

	StatusController(StatusPage page, MessageSource messages, @Value("${tongxing.issuer}") String issuer) {
		this.page = page;
		this.messages = messages;
		this.issuer = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
	}

	@GetMapping("/status")
	String status(Model model, Locale locale) {
		model.addAttribute("status", this.page.status(locale));
		return "ops/status";
	}

	@GetMapping("/status/feed.atom")
	ResponseEntity<String> feed(Locale locale) {
		String xml = AtomFeed.write(this.messages.getMessage("ops.status.feed.title", null, locale),
				this.issuer + "/status", this.issuer + "/status/feed.atom", this.page.status(locale).incidents(),
				locale.toLanguageTag());
		return ResponseEntity.ok().contentType(ATOM).cacheControl(CacheControl.noCache()).body(xml);
	}

	/** Served from here so the page's look stays with it (the pages allow same-origin styles only). */
	@GetMapping("/status/status.css")
	ResponseEntity<Resource> stylesheet() {
		return ResponseEntity.ok()
			.contentType(MediaType.parseMediaType("text/css;charset=UTF-8"))
			.body(new ClassPathResource("templates/ops/status.css"));
	}

}
