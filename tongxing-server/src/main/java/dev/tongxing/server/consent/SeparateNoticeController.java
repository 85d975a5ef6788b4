package dev.tongxing.server.consent;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The separate-consent notices in public: the phone-number notice as a page and as JSON, for native apps to
 * show the same words and send back {@code phone_consent} = its version.
 */
@Controller
class SeparateNoticeController {

	private final PhoneNumberConsent phone;

	SeparateNoticeController(PhoneNumberConsent phone) {
		this.phone = phone;
	}

	@GetMapping("/privacy/notices/phone-number")
	String page(Model model, Locale locale) {
		model.addAttribute("phoneNotice", this.phone.notice());
		return "consent/notice";
	}

	@GetMapping(path = "/privacy/notices/phone-number.json", produces = "application/json")
	@ResponseBody
	Map<String, Object> json() {
		SeparateNotice notice = this.phone.notice();
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("notice", notice.id());
		body.put("version", notice.version());
		body.put("necessity_text_version", notice.necessityVersion());
		body.put("impact_text_version", notice.impactVersion());
		body.put("necessity", notice.necessity());
		body.put("impact", notice.impact());
		body.put("parameter", PhoneNumberConsentGate.PHONE_CONSENT);
		return body;
	}

}
