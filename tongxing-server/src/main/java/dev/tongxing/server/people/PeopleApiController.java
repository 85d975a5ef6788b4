package dev.tongxing.server.people;

import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The People pages' JSON counterparts (Basic or an API token): {@code GET /admin/api/people/{account id}?reason=…}
 * (what the person page shows; audited with the reason; masked for a {@code tongxing.admin.read} token) and
 * {@code POST /admin/api/people/{account id}/sessions/end} with {@code {"reason": "…"}} (a Basic operator or a
 * {@code tongxing.admin.write} token).
 */
@RestController
class PeopleApiController {

	private final People people;

	PeopleApiController(People people) {
		this.people = people;
	}

	record Reason(String reason) {
	}

	record DeletionBody(String reason, Boolean confirm) {
	}

	record MergeBody(String from, String reason, Boolean confirm) {
	}

	/** The person's data export (in clear: a Basic operator or a tongxing.admin.write token; 400 for a read token). */
	@GetMapping("/admin/api/people/{account}/export")
	org.springframework.http.ResponseEntity<byte[]> export(@PathVariable String account,
			@RequestParam(required = false) String reason, Principal operator) {
		try {
			return download(this.people.export(account, reason, operator)
				.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no account found")));
		}
		catch (People.Refused refused) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, refused.getMessage());
		}
	}

	private static org.springframework.http.ResponseEntity<byte[]> download(
			dev.tongxing.server.export.PersonalDataExport.Document document) {
		return org.springframework.http.ResponseEntity.ok()
			.contentType(new org.springframework.http.MediaType(org.springframework.http.MediaType.APPLICATION_JSON,
					java.nio.charset.StandardCharsets.UTF_8))
			.header(org.springframework.http.HttpHeaders.CONTENT_DISPOSITION, org.springframework.http.ContentDisposition
				.attachment()
				.filename(document.filename())
				.build()
				.toString())
			.cacheControl(org.springframework.http.CacheControl.noStore())
			.body(document.body());
	}


	@PostMapping("/admin/api/people/{account}/merge")
	org.springframework.http.ResponseEntity<Map<String, Object>> merge(@PathVariable String account,
			@RequestBody(required = false) MergeBody body, Principal operator) {
		try {
			People.Merge merge = this.people
				.merge(account, body == null ? null : body.from(), body == null ? null : body.reason(),
						body != null && Boolean.TRUE.equals(body.confirm()), operator)
				.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no active account found"));
			Map<String, Object> answer = new LinkedHashMap<>();
			answer.put("account_id", account);
			if (merge.refusedKey() != null) {
				answer.put("error", merge.refusedKey().substring(merge.refusedKey().lastIndexOf('.') + 1));
				return org.springframework.http.ResponseEntity.status(HttpStatus.CONFLICT).body(answer);
			}
			answer.put("merged", body.from().strip());
			return org.springframework.http.ResponseEntity.ok(answer);
		}
		catch (People.Refused refused) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, refused.getMessage());
		}
	}

	@PostMapping("/admin/api/people/{account}/identities/{identity}/unlink")
	org.springframework.http.ResponseEntity<Map<String, Object>> unlink(@PathVariable String account,
			@PathVariable String identity, @RequestBody(required = false) Reason body, Principal operator) {
		try {
			People.Unlinked unlinked = this.people.unlink(account, identity, body == null ? null : body.reason(), operator)
				.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
						"no active account with this way to sign in"));
			Map<String, Object> answer = new LinkedHashMap<>();
			answer.put("account_id", account);
			if (unlinked.last()) {
				answer.put("error", "last_login_method");
				answer.put("error_description", "The last way to sign in cannot be removed");
				return org.springframework.http.ResponseEntity.status(HttpStatus.CONFLICT).body(answer);
			}
			answer.put("removed", unlinked.removed());
			return org.springframework.http.ResponseEntity.ok(answer);
		}
		catch (People.Refused refused) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, refused.getMessage());
		}
	}

	@PostMapping("/admin/api/people/{account}/deletion")
	Map<String, Object> startDeletion(@PathVariable String account, @RequestBody(required = false) DeletionBody body,
			Principal operator) {
		try {
			People.DeletionStarted started = this.people
				.startDeletion(account, body == null ? null : body.reason(),
						body != null && Boolean.TRUE.equals(body.confirm()), operator)
				.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no active account found"));
			Map<String, Object> answer = new LinkedHashMap<>();
			answer.put("account_id", account);
			answer.put("started", started.started());
			answer.put("request_id", started.request().id());
			answer.put("requested_at", started.request().requestedAt().toString());
			answer.put("due_at", started.request().dueAt().toString());
			return answer;
		}
		catch (People.Refused refused) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, refused.getMessage());
		}
	}

	@GetMapping("/admin/api/people/{account}")
	Map<String, Object> person(@PathVariable String account, @RequestParam(required = false) String reason,
			Principal operator) {
		try {
			return this.people.view(account, reason, operator)
				.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no account found"))
				.json();
		}
		catch (People.Refused refused) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, refused.getMessage());
		}
	}

	@PostMapping("/admin/api/people/{account}/sessions/end")
	Map<String, Object> endSessions(@PathVariable String account, @RequestBody(required = false) Reason body,
			Principal operator) {
		try {
			People.Ended ended = this.people.endSessions(account, body == null ? null : body.reason(), operator)
				.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no active account found"));
			Map<String, Object> answer = new LinkedHashMap<>();
			answer.put("account_id", account);
			answer.put("sessions_ended", ended.sessions());
			answer.put("clients", ended.clients());
			return answer;
		}
		catch (People.Refused refused) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, refused.getMessage());
		}
	}

}
