package dev.tongxing.server.transfer;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code POST /admin/api/import}: {@code import users} over the operator API, the JSON Lines in the body
 * ({@code ?dry-run=true} to check only). The same import, idempotent and resumable (a body sent again after an
 * interruption continues after its last checkpoint); for files of millions of lines the command is the tool.
 */
@RestController
@RequestMapping("/admin/api/import")
class ImportAdminController {

	private final UserImport imports;

	ImportAdminController(UserImport imports) {
		this.imports = imports;
	}

	@PostMapping
	Map<String, Object> importUsers(@RequestBody(required = false) byte[] body,
			@RequestParam(name = "dry-run", defaultValue = "false") boolean dryRun, Principal operator) {
		if (body == null || body.length == 0) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"The body is the people to import: JSON Lines, one record a line (see README, Moving in)");
		}
		try {
			StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(java.nio.ByteBuffer.wrap(body));
		}
		catch (java.nio.charset.CharacterCodingException ex) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "The body must be UTF-8");
		}
		String sha256 = HexFormat.of().formatHex(UserImport.digest().digest(body));
		UserImport.Report report;
		try {
			report = this.imports.run(
					() -> new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8)),
					sha256, dryRun, "admin:" + operator.getName(), progress -> {
					});
		}
		catch (IllegalStateException misconfigured) {
			throw new ResponseStatusException(HttpStatus.CONFLICT, misconfigured.getMessage());
		}
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("dry_run", report.dryRun());
		answer.put("read", report.read());
		answer.put("resumed", report.resumed());
		answer.put("created", report.created());
		answer.put("merged", report.merged());
		answer.put("updated", report.updated());
		answer.put("unchanged", report.unchanged());
		answer.put("invalid", report.invalid());
		answer.put("conflicts", report.conflicts());
		answer.put("unverified_phones", report.unverifiedPhones());
		List<Map<String, Object>> problems = report.problems()
			.stream()
			.map(p -> Map.<String, Object>of("line", p.line(), "kind", p.kind().label(), "message", p.message()))
			.toList();
		answer.put("problems", problems);
		return answer;
	}

}
