package dev.tongxing.server.connector.passkey;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.audit.AuditTypes;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * The signed-in person's passkeys: add one (the browser creates it, Spring Security's relying party verifies
 * it), rename one, remove one — never the last way in, as the account page decides it.
 */
@Controller
class PasskeyAccountController {

	static final int MAX_LABEL = Passkeys.MAX_LABEL;

	private final Passkeys passkeys;

	private final PasskeyCredentials credentials;

	private final PasskeyConnector connector;

	private final AccountService accounts;

	private final AuditLog audit;

	private final MessageSource messages;

	private final TransactionTemplate tx;

	private final java.time.Clock clock;

	PasskeyAccountController(Passkeys passkeys, PasskeyCredentials credentials, PasskeyConnector connector,
			AccountService accounts, AuditLog audit, MessageSource messages, PlatformTransactionManager transactions,
			java.time.Clock clock) {
		this.passkeys = passkeys;
		this.credentials = credentials;
		this.connector = connector;
		this.accounts = accounts;
		this.audit = audit;
		this.messages = messages;
		this.tx = new TransactionTemplate(transactions);
		this.clock = clock;
	}

	@GetMapping("/account/passkeys")
	String page(Principal principal, Model model, @RequestParam(name = "notice", required = false) String notice) {
		model.addAttribute("passkeys", this.credentials.list(ownIds(principal.getName())));
		model.addAttribute("enabled", this.connector.enabled());
		model.addAttribute("canRemove", this.accounts.identities(principal.getName()).size() > 1);
		if (notice != null && Set.of("added", "renamed", "removed", "last-method").contains(notice)) {
			model.addAttribute("noticeKey", "passkey.notice." + notice);
		}
		return "passkey/account";
	}

	@PostMapping(path = "/account/passkeys/options", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<String> options(Authentication person, HttpServletRequest request) {
		requireEnabled();
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(this.passkeys.beginAdding(person, request));
	}

	@PostMapping(path = "/account/passkeys", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Map<String, String>> add(Authentication person, @RequestBody(required = false) String body,
			HttpServletRequest request, Locale locale) {
		requireEnabled();
		String defaultName = this.messages.getMessage("passkey.default-label",
				new Object[] { LocalDate.ofInstant(this.clock.instant(), ZoneId.of("Asia/Shanghai")).toString() }, locale);
		String id;
		try {
			id = this.passkeys.finishAdding(person, body, defaultName, request);
		}
		catch (PasskeyFailure failed) {
			return ResponseEntity.badRequest()
				.body(Map.of("error", this.messages.getMessage(failed.messageKey(), new Object[] { MAX_LABEL }, locale)));
		}
		this.audit.record(AuditEntry.of(AuditTypes.PASSKEY_ADDED)
			.actor("user:" + person.getName())
			.subject(person.getName())
			.detail("passkey", id));
		return ResponseEntity.ok(Map.of("redirect", "/account/passkeys?notice=added"));
	}

	@PostMapping("/account/passkeys/{id}/rename")
	String rename(Principal principal, @PathVariable String id, @RequestParam(defaultValue = "") String label) {
		requireOwn(principal, id);
		String name = label.strip();
		if (name.isEmpty() || name.length() > MAX_LABEL) {
			return "redirect:/account/passkeys";
		}
		this.credentials.rename(id, name);
		this.audit.record(AuditEntry.of(AuditTypes.PASSKEY_RENAMED)
			.actor("user:" + principal.getName())
			.subject(principal.getName())
			.detail("passkey", id));
		return "redirect:/account/passkeys?notice=renamed";
	}

	@PostMapping("/account/passkeys/{id}/remove")
	String remove(Principal principal, @PathVariable String id) {
		requireOwn(principal, id);
		try {
			this.tx.executeWithoutResult(status -> {
				// the account decides what the last way in is, and refuses it before anything is gone
				this.accounts.unlink(principal.getName(), List.of(new ExternalIdentity.IdentityKey(Passkeys.PROVIDER, id)));
				this.credentials.remove(id);
				this.audit.record(AuditEntry.of(AuditTypes.PASSKEY_REMOVED)
					.actor("user:" + principal.getName())
					.subject(principal.getName())
					.detail("passkey", id));
			});
		}
		catch (AccountService.LastLoginMethodException last) {
			return "redirect:/account/passkeys?notice=last-method";
		}
		return "redirect:/account/passkeys?notice=removed";
	}

	/** The passkeys that are this account's ways in (after a merge, also those created for the other account). */
	private List<String> ownIds(String accountId) {
		return this.accounts.identities(accountId)
			.stream()
			.filter(identity -> Passkeys.PROVIDER.equals(identity.provider()))
			.map(AccountService.LinkedIdentity::key)
			.toList();
	}

	private void requireOwn(Principal principal, String id) {
		if (!ownIds(principal.getName()).contains(id)) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND);
		}
	}

	private void requireEnabled() {
		if (!this.connector.enabled()) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND);
		}
	}

}
