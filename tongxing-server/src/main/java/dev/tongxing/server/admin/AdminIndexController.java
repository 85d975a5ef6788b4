package dev.tongxing.server.admin;

import dev.tongxing.server.analytics.AnalyticsProperties;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * {@code /admin}: where an operator starts — the overview's figures ({@link ConsoleOverview}), then the operator
 * pages, the API and its description, the status page.
 */
@Controller
class AdminIndexController {

	private final ConsoleOverview overview;

	private final AnalyticsProperties analytics;

	AdminIndexController(ConsoleOverview overview, AnalyticsProperties analytics) {
		this.overview = overview;
		this.analytics = analytics;
	}

	@GetMapping({ "/admin", "/admin/" })
	String index(Model model) {
		ConsoleOverview.Overview o = this.overview.now();
		model.addAttribute("o", o);
		model.addAttribute("targetPercent", percent(o.successTarget()));
		model.addAttribute("flushSeconds", this.analytics.flushInterval().toSeconds());
		model.addAttribute("nearMinutes", o.complaints().escalateBefore().toMinutes());
		return "admin/index";
	}

	/** A share as the page shows it: {@code 92.0}. */
	static String percent(Double share) {
		return share == null ? "–" : String.format(java.util.Locale.ROOT, "%.1f", share * 100);
	}

}
