package dev.tongxing.server.connector.phone;

import java.util.List;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Development only: the latest code the log sender "sent" to each number, so a developer (or a test) can
 * finish a phone login without a phone. Exists only with the {@code dev} profile.
 */
@Controller
@Profile("dev")
class DevSmsController {

	private final SmsSender sender;

	DevSmsController(SmsSender sender) {
		this.sender = sender;
	}

	@GetMapping("/login/phone/dev-sms")
	String page(Model model) {
		boolean logging = this.sender instanceof LogSmsSender;
		model.addAttribute("logging", logging);
		model.addAttribute("messages", logging ? ((LogSmsSender) this.sender).latestPerPhone() : List.of());
		return "phone/dev-sms";
	}

}
