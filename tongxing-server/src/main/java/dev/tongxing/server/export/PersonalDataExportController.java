package dev.tongxing.server.export;

import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.audit.AuditTypes;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * "Download my data" ({@code GET /account/export}): a JSON file of everything held about the signed-in
 * person, one key per {@link dev.tongxing.server.kernel.PersonalDataSection} ({@link PersonalDataExport}). Every download is an audit entry
 * ({@code personal-data.read}), recorded before the data leaves.
 */
@Controller
class PersonalDataExportController {

	static final String FORMAT = PersonalDataExport.FORMAT;

	private final PersonalDataExport export;

	private final AuditLog audit;

	PersonalDataExportController(PersonalDataExport export, AuditLog audit) {
		this.export = export;
		this.audit = audit;
	}

	@GetMapping("/account/export")
	ResponseEntity<byte[]> export(Principal principal) {
		String userId = principal.getName();
		PersonalDataExport.Document document = this.export.of(userId);
		this.audit.record(AuditEntry.of(AuditTypes.PERSONAL_DATA_READ)
			.actor("user:" + userId)
			.subject(userId)
			.detail("channel", "export")
			.detail("sections", document.sections()));
		return ResponseEntity.ok()
			.contentType(new MediaType(MediaType.APPLICATION_JSON, StandardCharsets.UTF_8))
			.header(HttpHeaders.CONTENT_DISPOSITION,
					ContentDisposition.attachment().filename(document.filename()).build().toString())
			.cacheControl(CacheControl.noStore())
			.body(document.body());
	}

}
