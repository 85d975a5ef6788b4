package dev.tongxing.server.people;

import dev.tongxing.server.console.ConsoleOperator;
import dev.tongxing.server.console.OperatorRole;
import dev.tongxing.server.kernel.DisplayTime;
import jakarta.servlet.http.HttpServletResponse;
import java.security.Principal;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The console's People pages: {@code /admin/people} (find a person by phone number, WeChat UnionID, openid with
 * its appid, or account id, with a reason) and {@code /admin/people/{account id}} (what the gateway holds about
 * them; opening it asks for a reason, carried to the audit entry). Viewers read them masked; ending a person's
 * sessions needs {@code support} (the console's filter chain, and checked again here).
 */
@Controller
class PeoplePagesController {

	private final People people;

	private final DisplayTime time;

	PeoplePagesController(People people, DisplayTime time) {
		this.people = people;
		this.time = time;
	}

	@GetMapping("/admin/people")
	String search(@RequestParam(required = false) String kind, @RequestParam(required = false) String value,
			@RequestParam(required = false) String appid, @RequestParam(required = false) String reason,
			Principal operator, Model model, HttpServletResponse response) {
		model.addAttribute("kind", kind == null ? "phone" : kind);
		// what was looked for is personal data too: a caller who sees it masked is not shown it back
		model.addAttribute("value", ConsoleOperator.seesClear(operator) ? value : null);
		model.addAttribute("appid", appid);
		model.addAttribute("reason", reason);
		if (kind == null && value == null && reason == null) {
			return "people/search";
		}
		try {
			Optional<String> found = this.people.find(kind, value, appid, reason, operator);
			model.addAttribute("searched", true);
			model.addAttribute("found", found.orElse(null));
			if (found.isEmpty()) {
				response.setStatus(404);
			}
			else {
				model.addAttribute("openHref", personHref(found.get(), reason.strip(), null));
			}
		}
		catch (People.Refused refused) {
			response.setStatus(400);
			model.addAttribute("errorKey", refused.key);
		}
		return "people/search";
	}

	@GetMapping("/admin/people/{account}")
	String person(@PathVariable String account, @RequestParam(required = false) String reason,
			@RequestParam(required = false) String ended, @RequestParam(required = false) String deletion,
			@RequestParam(required = false) String unlinked, @RequestParam(required = false) String merged,
			Principal operator, Model model,
			HttpServletResponse response) {
		model.addAttribute("accountId", account);
		if (reason == null || reason.isBlank()) {
			// nothing about the person before a reason is given
			return "people/reason";
		}
		Optional<Person> person;
		try {
			person = this.people.view(account, reason, operator);
		}
		catch (People.Refused refused) {
			response.setStatus(400);
			model.addAttribute("errorKey", refused.key);
			return "people/reason";
		}
		if (person.isEmpty()) {
			response.setStatus(404);
			model.addAttribute("errorKey", "admin.people.not-found");
			return "people/reason";
		}
		model.addAttribute("person", person.get());
		model.addAttribute("reason", reason.strip());
		model.addAttribute("time", this.time);
		model.addAttribute("zone", this.time.zoneName());
		model.addAttribute("mayAct", ConsoleOperator.holds(operator, OperatorRole.SUPPORT));
		if (ended != null && ended.matches("[0-9]{1,6}")) {
			model.addAttribute("ended", Integer.parseInt(ended));
		}
		if ("started".equals(deletion) || "pending".equals(deletion)) {
			model.addAttribute("deletionNoticeKey", "admin.person.deletion." + deletion);
		}
		if ("done".equals(unlinked) || "last-method".equals(unlinked)) {
			model.addAttribute("unlinkNoticeKey", "admin.person.unlinked." + unlinked);
		}
		if ("done".equals(merged)) {
			model.addAttribute("mergeNoticeKey", "admin.person.merge.done");
		}
		model.addAttribute("mayAdmin", ConsoleOperator.holds(operator, OperatorRole.ADMIN));
		return "people/person";
	}

	@PostMapping("/admin/people/{account}/sessions/end")
	String endSessions(@PathVariable String account, @RequestParam(required = false) String reason,
			Principal operator, Model model, HttpServletResponse response) {
		if (!ConsoleOperator.holds(operator, OperatorRole.SUPPORT)) {
			response.setStatus(403); // the filter chain refuses it first; never reached by a viewer
			return "console/forbidden";
		}
		Optional<People.Ended> ended;
		try {
			ended = this.people.endSessions(account, reason, operator);
		}
		catch (People.Refused refused) {
			response.setStatus(400);
			model.addAttribute("accountId", account);
			model.addAttribute("errorKey", refused.key);
			return "people/reason";
		}
		if (ended.isEmpty()) {
			response.setStatus(404);
			model.addAttribute("accountId", account);
			model.addAttribute("errorKey", "admin.people.not-active");
			return "people/reason";
		}
		return "redirect:" + personHref(account, reason.strip(), ended.get().sessions());
	}

	@PostMapping("/admin/people/{account}/deletion")
	String startDeletion(@PathVariable String account, @RequestParam(required = false) String reason,
			@RequestParam(required = false) String confirm, Principal operator, Model model,
			HttpServletResponse response) {
		if (!ConsoleOperator.holds(operator, OperatorRole.SUPPORT)) {
			response.setStatus(403); // the filter chain refuses it first; never reached by a viewer
			return "console/forbidden";
		}
		Optional<People.DeletionStarted> started;
		try {
			started = this.people.startDeletion(account, reason, "yes".equals(confirm), operator);
		}
		catch (People.Refused refused) {
			response.setStatus(400);
			model.addAttribute("accountId", account);
			model.addAttribute("errorKey", refused.key);
			return "people/reason";
		}
		if (started.isEmpty()) {
			response.setStatus(404);
			model.addAttribute("accountId", account);
			model.addAttribute("errorKey", "admin.people.not-active");
			return "people/reason";
		}
		return "redirect:" + personHref(account, reason.strip(), null, started.get().started() ? "started" : "pending");
	}

	@PostMapping("/admin/people/{account}/identities/{identity}/unlink")
	String unlink(@PathVariable String account, @PathVariable String identity,
			@RequestParam(required = false) String reason, Principal operator, Model model,
			HttpServletResponse response) {
		if (!ConsoleOperator.holds(operator, OperatorRole.ADMIN)) {
			response.setStatus(403); // the filter chain refuses it first
			return "console/forbidden";
		}
		Optional<People.Unlinked> unlinked;
		try {
			unlinked = this.people.unlink(account, identity, reason, operator);
		}
		catch (People.Refused refused) {
			response.setStatus(400);
			model.addAttribute("accountId", account);
			model.addAttribute("errorKey", refused.key);
			return "people/reason";
		}
		if (unlinked.isEmpty()) {
			response.setStatus(404);
			model.addAttribute("accountId", account);
			model.addAttribute("errorKey", "admin.people.no-identity");
			return "people/reason";
		}
		return "redirect:" + href(account, reason.strip(), "unlinked", unlinked.get().last() ? "last-method" : "done");
	}

	@PostMapping("/admin/people/{account}/merge")
	String merge(@PathVariable String account, @RequestParam(required = false) String from,
			@RequestParam(required = false) String reason, @RequestParam(required = false) String confirm,
			Principal operator, Model model, HttpServletResponse response) {
		if (!ConsoleOperator.holds(operator, OperatorRole.ADMIN)) {
			response.setStatus(403); // the filter chain refuses it first
			return "console/forbidden";
		}
		Optional<People.Merge> merged;
		try {
			merged = this.people.merge(account, from, reason, "yes".equals(confirm), operator);
		}
		catch (People.Refused refused) {
			response.setStatus(400);
			model.addAttribute("accountId", account);
			model.addAttribute("errorKey", refused.key);
			return "people/reason";
		}
		if (merged.isEmpty()) {
			response.setStatus(404);
			model.addAttribute("accountId", account);
			model.addAttribute("errorKey", "admin.people.not-active");
			return "people/reason";
		}
		if (merged.get().refusedKey() != null) {
			response.setStatus(409);
			model.addAttribute("accountId", account);
			model.addAttribute("errorKey", merged.get().refusedKey());
			return "people/reason";
		}
		return "redirect:" + href(account, reason.strip(), "merged", "done");
	}

	/** The person's data export as a file (admin: the chain names it before the viewers' GET rule). */
	@GetMapping("/admin/people/{account}/export")
	Object export(@PathVariable String account, @RequestParam(required = false) String reason, Principal operator,
			Model model, HttpServletResponse response) {
		if (!ConsoleOperator.holds(operator, OperatorRole.ADMIN)) {
			response.setStatus(403);
			return "console/forbidden";
		}
		try {
			Optional<dev.tongxing.server.export.PersonalDataExport.Document> document = this.people.export(account, reason,
					operator);
			if (document.isPresent()) {
				return download(document.get());
			}
			response.setStatus(404);
			model.addAttribute("errorKey", "admin.people.not-found");
		}
		catch (People.Refused refused) {
			response.setStatus(400);
			model.addAttribute("errorKey", refused.key);
		}
		model.addAttribute("accountId", account);
		return "people/reason";
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

	private static String href(String account, String reason, String name, String value) {
		return UriComponentsBuilder.fromPath("/admin/people/{account}")
			.queryParam("reason", reason)
			.queryParam(name, value)
			.encode()
			.buildAndExpand(account)
			.toUriString();
	}

	private static String personHref(String account, String reason, Integer ended) {
		return personHref(account, reason, ended, null);
	}

	private static String personHref(String account, String reason, Integer ended, String deletion) {
		UriComponentsBuilder href = UriComponentsBuilder.fromPath("/admin/people/{account}").queryParam("reason", reason);
		if (ended != null) {
			href.queryParam("ended", ended);
		}
		if (deletion != null) {
			href.queryParam("deletion", deletion);
		}
		return href.encode().buildAndExpand(account).toUriString();
	}

}
