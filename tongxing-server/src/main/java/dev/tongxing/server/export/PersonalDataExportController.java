package dev.tongxing.server.export;

import dev.tongxing.server.kernel.PersonalDataSection;
import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.audit.AuditTypes;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * "Download my data" ({@code GET /account/export}): a JSON file of everything held about the signed-in
 * person, one key per {@link PersonalDataSection}. Every download is an audit entry
 * ({@code personal-data.read}), recorded before the data leaves.
 */
@Controller
class PersonalDataExportController {

	static final String FORMAT = "tongxing-personal-data/1";

	private final List<PersonalDataSection> sections;

	private final AuditLog audit;

	private final Clock clock;

	private final JsonMapper json = JsonMapper.builder()
		.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
		.enable(SerializationFeature.INDENT_OUTPUT)
		.build();

	PersonalDataExportController(List<PersonalDataSection> sections, AuditLog audit, Clock clock) {
		Set<String> names = new HashSet<>();
		for (PersonalDataSection section : sections) {
			if (!names.add(section.name())) {
				throw new IllegalStateException("Two personal-data sections are named " + section.name());
			}
		}
		this.sections = sections;
		this.audit = audit;
		this.clock = clock;
	}

	@GetMapping("/account/export")
	ResponseEntity<byte[]> export(Principal principal) {
		String userId = principal.getName();
		Instant now = this.clock.instant();
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("format", FORMAT);
		document.put("generated_at", now.toString());
		document.put("subject", userId);
		for (PersonalDataSection section : this.sections) {
			document.put(section.name(), section.export(userId));
		}
		byte[] body = this.json.writeValueAsString(document).getBytes(StandardCharsets.UTF_8);
		this.audit.record(AuditEntry.of(AuditTypes.PERSONAL_DATA_READ)
			.actor("user:" + userId)
			.subject(userId)
			.detail("channel", "export")
			.detail("sections", this.sections.stream().map(PersonalDataSection::name).toList()));
		String filename = "tongxing-my-data-" + now.atOffset(ZoneOffset.UTC).toLocalDate() + ".json";
		return ResponseEntity.ok()
			.contentType(new MediaType(MediaType.APPLICATION_JSON, StandardCharsets.UTF_8))
			.header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(filename).build().toString())
			.cacheControl(CacheControl.noStore())
			.body(body);
	}

}
