package dev.tongxing.server.consent;

import dev.tongxing.server.oidc.OidcProperties;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.server.ResponseStatusException;

/**
 * The privacy policy in public: the page people read (Chinese or English) and the JSON native apps use to
 * show the same text and send back the version they showed.
 */
@Controller
class PolicyController {

	private final PrivacyPolicies policies;

	private final String policyUri;

	private final ProtectionOfficer officer;

	PolicyController(PrivacyPolicies policies, OidcProperties oidc, ProtectionOfficer officer) {
		this.policies = policies;
		this.officer = officer;
		this.policyUri = oidc.issuer() + "/privacy/policy";
	}

	@GetMapping("/privacy/policy")
	String page(@RequestParam(name = "version", required = false) String version, Model model, Locale locale) {
		PrivacyPolicy policy = version == null ? this.policies.current()
				: this.policies.version(version).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
		model.addAttribute("policy", policy);
		model.addAttribute("html", policy.html(locale));
		model.addAttribute("current", policy.version().equals(this.policies.current().version()));
		model.addAttribute("versions", this.policies.all());
		model.addAttribute("officer", this.officer);
		return "consent/policy";
	}

	@GetMapping(path = "/privacy/policy.json", produces = "application/json")
	@ResponseBody
	Map<String, Object> json() {
		PrivacyPolicy policy = this.policies.current();
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("version", policy.version());
		body.put("effective_date", policy.effectiveDate().toString());
		body.put("text_sha256", policy.textSha256());
		body.put("material", policy.material());
		body.put("changes", policy.changes());
		body.put("changes_zh", policy.changes(java.util.Locale.SIMPLIFIED_CHINESE));
		body.put("policy_uri", this.policyUri);
		body.put("text", Map.of("zh-CN", policy.markdownZh(), "en", policy.markdownEn()));
		return body;
	}

}
