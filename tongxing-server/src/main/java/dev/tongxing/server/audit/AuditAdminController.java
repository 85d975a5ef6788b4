package dev.tongxing.server.audit;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** The audit log for operators and auditors ({@code /admin/**} is operators only). */
@RestController
@RequestMapping("/admin/api/audit")
class AuditAdminController {

	static final MediaType JSON_LINES = MediaType.parseMediaType("application/jsonl");

	private final AuditVerifier verifier;

	private final AuditExport export;

	private final AuditLog audit;

	private final AuditCheckpoints checkpoints;

	private final AuditVerificationKeys keys;

	AuditAdminController(AuditVerifier verifier, AuditExport export, AuditLog audit, AuditCheckpoints checkpoints,
			AuditVerificationKeys keys) {
		this.verifier = verifier;
		this.export = export;
		this.audit = audit;
		this.checkpoints = checkpoints;
		this.keys = keys;
	}

	@GetMapping("/verify")
	Map<String, Object> verify() {
		AuditReport report = this.verifier.verify();
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("intact", report.intact());
		body.put("entries", report.entries());
		body.put("lastSeq", report.lastSeq());
		body.put("checkpoints", report.checkpoints());
		if (report.problem() != null) {
			body.put("problem", Map.of("kind", report.problem().kind(), "seq", report.problem().seq(), "message",
					report.problem().message()));
		}
		body.put("report", report.describe());
		return body;
	}

	/**
	 * The signed checkpoints and every public key that ever signed one, so an auditor can check the
	 * signatures and match each checkpoint's hash against the exported entry at its seq.
	 */
	@GetMapping("/checkpoints")
	Map<String, Object> checkpoints() {
		List<Map<String, Object>> signed = this.checkpoints.all()
			.stream()
			.map(c -> Map.<String, Object>of("seq", c.seq(), "hash", c.hash(), "signed_at",
					ChainedEntry.time(c.signedAt()), "kid", c.kid(), "jws", c.jws()))
			.toList();
		return Map.of("checkpoints", signed, "keys", this.keys.publicKeys().toJSONObject(true));
	}

	/**
	 * @param from start, inclusive: an instant ({@code 2026-01-01T00:00:00+08:00}) or a date (UTC midnight)
	 * @param to end, exclusive, likewise
	 */
	@GetMapping("/export")
	ResponseEntity<StreamingResponseBody> export(@RequestParam(required = false) String from,
			@RequestParam(required = false) String to, Principal operator) {
		Instant start = parseTime(from);
		Instant end = parseTime(to);
		// handing the log to someone is itself an event to account for
		this.audit.record(AuditEntry.of(AuditTypes.ADMIN_AUDIT_EXPORTED)
			.actor("admin:" + operator.getName())
			.detail("from", start == null ? null : ChainedEntry.time(start))
			.detail("to", end == null ? null : ChainedEntry.time(end)));
		StreamingResponseBody body = out -> {
			Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
			this.export.write(start, end, writer);
			writer.flush();
		};
		return ResponseEntity.ok()
			.contentType(JSON_LINES)
			.header("Content-Disposition", "attachment; filename=\"audit.jsonl\"")
			.body(body);
	}

	private static Instant parseTime(String value) {
		try {
			return AuditExport.parseTime(value);
		}
		catch (IllegalArgumentException ex) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, ex.getMessage());
		}
	}

}
