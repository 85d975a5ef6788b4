package dev.tongxing.server.admin;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** {@code /admin}: where an operator starts — the operator pages, the API and its description, the status page. */
@Controller
class AdminIndexController {

	@GetMapping({ "/admin", "/admin/" })
	String index() {
		return "admin/index";
	}

}
