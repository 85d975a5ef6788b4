package dev.tongxing.server.console;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.account.UserAccount;
import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.audit.AuditTypes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code GET /admin/api/people}: one account found by phone number, WeChat UnionID, (appid, openid) or account
 * id, always through the accounts' keyed lookup hashes (never a scan of clear data). Every answer is first an
 * audit entry naming the operator and the reason they gave; callers that may only read see masked keys.
 */
@RestController
class PeopleAdminController {

	/** Providers of the identity keys looked up here (the WeChat connector's names, not its classes). */
	static final String PHONE = "phone";

	static final String WECHAT_UNION = "wechat-union";

	static final String WECHAT_OPEN = "wechat-open";

	private final AccountService accounts;

	private final AuditLog audit;

	PeopleAdminController(AccountService accounts, AuditLog audit) {
		this.accounts = accounts;
		this.audit = audit;
	}

	@GetMapping("/admin/api/people")
	Map<String, Object> find(@RequestParam(required = false) String phone,
			@RequestParam(required = false) String unionid, @RequestParam(required = false) String appid,
			@RequestParam(required = false) String openid, @RequestParam(name = "account", required = false) String accountId,
			@RequestParam(required = false) String reason, Authentication operator) {
		if (reason == null || reason.isBlank() || reason.length() > 500) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"reason is required (why this person's data is looked at, up to 500 characters)");
		}
		String by;
		Optional<String> user;
		if (phone != null && !phone.isBlank()) {
			if (!phone.strip().matches("\\+[1-9][0-9]{6,14}")) {
				throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "phone must be an E.164 number such as +8613800138000");
			}
			by = "phone";
			user = this.accounts.userFor(new IdentityKey(PHONE, phone.strip()));
		}
		else if (unionid != null && !unionid.isBlank()) {
			by = "unionid";
			user = this.accounts.userFor(new IdentityKey(WECHAT_UNION, unionid.strip()));
		}
		else if (openid != null && !openid.isBlank() && appid != null && !appid.isBlank()) {
			by = "openid";
			user = this.accounts.userFor(new IdentityKey(WECHAT_OPEN, appid.strip() + ":" + openid.strip()));
		}
		else if (accountId != null && !accountId.isBlank()) {
			by = "account";
			user = this.accounts.find(accountId.strip()).map(UserAccount::id);
		}
		else {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"give one of phone, unionid, appid with openid, or account");
		}
		boolean clear = mayReadClear(operator);
		// the look-up is recorded before anything is answered, found or not
		this.audit.record(AuditEntry.of(AuditTypes.PERSONAL_DATA_READ)
			.actor("admin:" + operator.getName())
			.subject(user.orElse(null))
			.detail("purpose", "operator-lookup")
			.detail("looked_up_by", by)
			.detail("found", Boolean.toString(user.isPresent()))
			.detail("masked", Boolean.toString(!clear))
			.detail("reason", reason.strip()));
		String id = user.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no account found"));
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("account_id", id);
		body.put("status", this.accounts.status(id).orElse(null));
		body.put("masked", !clear);
		List<Map<String, Object>> identities = this.accounts.identities(id).stream().map(identity -> {
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("id", identity.id());
			row.put("provider", identity.provider());
			row.put("key", clear ? identity.key() : mask(identity.key()));
			row.put("created_at", identity.createdAt() == null ? null : identity.createdAt().toString());
			row.put("last_login_at", identity.lastLoginAt() == null ? null : identity.lastLoginAt().toString());
			return row;
		}).toList();
		body.put("identities", identities);
		// numbers it lost to recycling (already masked): what a complaint about a lost account is about
		body.put("released_identifiers", this.accounts.releasedIdentifiers(id).stream().map(released -> {
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("provider", released.provider());
			row.put("shown_as", released.shownAs());
			row.put("reason", released.reason());
			row.put("released_at", released.releasedAt().toString());
			return row;
		}).toList());
		return body;
	}

	/** Basic operators and tongxing.admin.write tokens see clear keys; read-only callers see them masked. */
	static boolean mayReadClear(Authentication operator) {
		return operator.getAuthorities().stream()
			.anyMatch(a -> a.getAuthority().equals("ROLE_ADMIN") || a.getAuthority().equals("ADMIN_API_WRITE"));
	}

	/** The last four characters at most, the rest starred: enough to tell two people apart on a call. */
	static String mask(String key) {
		if (key == null) {
			return null;
		}
		int keep = key.length() <= 4 ? 0 : Math.min(4, key.length() / 3);
		return "*".repeat(key.length() - keep) + key.substring(key.length() - keep);
	}

}
