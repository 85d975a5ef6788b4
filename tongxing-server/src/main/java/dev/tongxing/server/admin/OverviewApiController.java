package dev.tongxing.server.admin;

import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /admin/api/overview}: the console overview's figures as JSON, for machines (Basic or an API token). */
@RestController
class OverviewApiController {

	private final ConsoleOverview overview;

	OverviewApiController(ConsoleOverview overview) {
		this.overview = overview;
	}

	@GetMapping("/admin/api/overview")
	Map<String, Object> overview() {
		return ConsoleOverview.json(this.overview.now());
	}

}
