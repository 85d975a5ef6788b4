package dev.tongxing.server.privacy;

import dev.tongxing.server.consent.PersonalInformationHandler;
import dev.tongxing.server.consent.ProtectionOfficer;
import dev.tongxing.server.oidc.OidcProperties;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The two lists published beside the privacy policy (个人信息收集清单, 第三方共享清单), as pages and as JSON, and
 * the register of processing purposes (PIPL Art. 13, 55–56), all generated from the catalogue and the
 * configuration of the moment.
 */
@Controller
class PrivacyListsController {

	private final PersonalDataCatalog catalog;

	private final PersonalDataRecipients recipients;

	private final ProtectionOfficer officer;

	private final PrivacyListsProperties properties;

	private final MessageSource messages;

	private final PersonalInformationHandler handler;

	private final String issuer;

	PrivacyListsController(PersonalDataCatalog catalog, PersonalDataRecipients recipients, ProtectionOfficer officer,
			PrivacyListsProperties properties, MessageSource messages, OidcProperties oidc,
			PersonalInformationHandler handler) {
		this.handler = handler;
		this.catalog = catalog;
		this.recipients = recipients;
		this.officer = officer;
		this.properties = properties;
		this.messages = messages;
		this.issuer = oidc.issuer();
	}

	@GetMapping("/privacy/personal-information")
	String personalInformation(Model model) {
		common(model);
		model.addAttribute("items", this.catalog.items());
		return "privacy/personal-information";
	}

	@GetMapping("/privacy/third-parties")
	String thirdParties(Model model) {
		common(model);
		model.addAttribute("recipients", this.recipients.all());
		return "privacy/third-parties";
	}

	private void common(Model model) {
		model.addAttribute("catalog", this.catalog);
		model.addAttribute("officer", this.officer);
		model.addAttribute("handler", this.handler);
	}

	@GetMapping(path = "/privacy/personal-information.json", produces = "application/json")
	@ResponseBody
	Map<String, Object> personalInformationJson() {
		Map<String, Object> body = header();
		body.put("items", this.catalog.items().stream().map(item -> {
			Map<String, Object> json = new LinkedHashMap<>();
			json.put("id", item.id());
			json.put("name", item.name().json());
			json.put("sensitive", item.sensitive());
			json.put("purposes", item.purposes());
			json.put("method", item.method().json());
			json.put("retention", item.retention().json());
			return json;
		}).toList());
		return body;
	}

	@GetMapping(path = "/privacy/third-parties.json", produces = "application/json")
	@ResponseBody
	Map<String, Object> thirdPartiesJson() {
		Map<String, Object> body = header();
		body.put("recipients", this.recipients.all().stream().map(r -> {
			Map<String, Object> json = new LinkedHashMap<>();
			json.put("kind", r.kind());
			json.put("id", r.id());
			json.put("name", r.name());
			json.put("company", r.company());
			json.put("contact", r.contact());
			json.put("role", r.role());
			json.put("purposes", r.purposes().stream().map(this::bilingual).toList());
			json.put("claims", r.claims());
			json.put("items", r.items());
			return json;
		}).toList());
		return body;
	}

	@GetMapping(path = "/privacy/processing-register.json", produces = "application/json")
	@ResponseBody
	Map<String, Object> register() {
		Map<String, Object> body = header();
		List<PersonalDataRecipients.Recipient> recipients = this.recipients.all();
		body.put("purposes", this.catalog.purposes().stream().map(purpose -> {
			Map<String, Object> json = new LinkedHashMap<>();
			json.put("id", purpose.id());
			json.put("name", purpose.name().json());
			json.put("legal_basis", purpose.legalBasis());
			json.put("consent_type", purpose.consentType());
			json.put("items", this.catalog.items().stream()
				.filter(i -> i.purposes().contains(purpose.id()))
				.map(PersonalDataCatalog.Item::id)
				.toList());
			json.put("risks", purpose.risks());
			if (purpose.risky()) {
				String reference = this.properties.impactAssessments().get(purpose.id());
				json.put("impact_assessment", reference);
				json.put("impact_assessment_missing", reference == null || reference.isBlank());
			}
			if (purpose.risks().contains("provision-to-others")) {
				json.put("recipients", recipients.stream()
					.filter(r -> r.role().equals("other-handler"))
					.map(PersonalDataRecipients.Recipient::id)
					.toList());
			}
			return json;
		}).toList());
		return body;
	}

	private Map<String, Object> header() {
		Map<String, Object> body = new LinkedHashMap<>();
		Map<String, Object> handler = new LinkedHashMap<>();
		handler.put("company", this.handler.company());
		handler.put("contact", this.handler.contact());
		body.put("handler", handler);
		Map<String, Object> officer = new LinkedHashMap<>();
		officer.put("name", this.officer.name());
		officer.put("contact", this.officer.contact());
		body.put("officer", officer);
		body.put("policy_uri", this.issuer + "/privacy/policy");
		return body;
	}

	/** A message key in both languages; a configured purpose (plain words) stays as it is. */
	private Object bilingual(String purpose) {
		if (!purpose.startsWith("privacy.")) {
			return purpose;
		}
		return Map.of("zh-CN", this.messages.getMessage(purpose, null, Locale.SIMPLIFIED_CHINESE), "en",
				this.messages.getMessage(purpose, null, Locale.ENGLISH));
	}

}
