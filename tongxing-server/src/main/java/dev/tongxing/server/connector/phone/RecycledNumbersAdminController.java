package dev.tongxing.server.connector.phone;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.audit.AuditTypes;
import java.security.Principal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code /admin/api/phone-numbers/recycled}: the carrier's word that numbers were recycled (二次号), and giving a
 * kept account a new way in once its owner has been verified (a complaint, say). Operators only, like all of
 * {@code /admin/api} ({@code tongxing.admin.write} for a token); numbers never appear in the answers or the audit
 * log, only counts and positions in the request.
 */
@RestController
class RecycledNumbersAdminController {

	static final int MAX_NUMBERS = 10_000;

	private final PhoneRecycling recycling;

	private final PhoneNumbers numbers;

	private final AccountService accounts;

	private final AuditLog audit;

	private final TransactionTemplate tx;

	RecycledNumbersAdminController(PhoneRecycling recycling, PhoneNumbers numbers, AccountService accounts,
			AuditLog audit, TransactionTemplate tx) {
		this.recycling = recycling;
		this.numbers = numbers;
		this.accounts = accounts;
		this.audit = audit;
		this.tx = tx;
	}

	/**
	 * Body: {@code numbers} (as typed or E.164, up to 10 000) and {@code recycled_on} (the ISO date the carrier
	 * reports, not in the future). Each number's signal and the release of its old binding commit together, one
	 * number at a time: sending the same request again after a crash finishes it, and does nothing twice.
	 * @return {@code recorded} (new signals), {@code already_known}, {@code released} (bindings taken from accounts,
	 * whose apps hear {@code identifier-recycled}), and {@code invalid} (positions of numbers that are no mobile
	 * numbers)
	 */
	@PostMapping("/admin/api/phone-numbers/recycled")
	Map<String, Object> report(@RequestBody Map<String, Object> body, Principal operator) {
		LocalDate recycledOn = date(body.get("recycled_on"));
		if (recycledOn.isAfter(this.recycling.today())) {
			// a future day would take numbers from the people who hold them today
			throw bad("recycled_on is in the future");
		}
		if (!(body.get("numbers") instanceof List<?> given) || given.isEmpty() || given.size() > MAX_NUMBERS) {
			throw bad("numbers must be a list of 1 to " + MAX_NUMBERS + " phone numbers");
		}
		// on record before the first number's transaction: a crash part-way leaves who started what (each signal
		// row names its reporter too), and sending the request again finishes it
		this.audit.record(AuditEntry.of(AuditTypes.ADMIN_PHONE_NUMBERS_RECYCLED)
			.actor("admin:" + operator.getName())
			.detail("stage", "started")
			.detail("recycled_on", recycledOn.toString())
			.detail("numbers", given.size()));
		List<Integer> invalid = new ArrayList<>();
		int recorded = 0;
		int known = 0;
		int released = 0;
		for (int i = 0; i < given.size(); i++) {
			Optional<String> e164 = given.get(i) instanceof String typed ? this.numbers.toE164(typed) : Optional.empty();
			if (e164.isEmpty()) {
				invalid.add(i);
				continue;
			}
			Outcome outcome;
			try {
				outcome = reportOne(e164.get(), recycledOn, operator);
			}
			catch (DuplicateKeyException raced) {
				// the same signal posted at the same moment elsewhere: it is known now, its release done or doable
				outcome = reportOne(e164.get(), recycledOn, operator);
			}
			if (outcome.fresh()) {
				recorded++;
			}
			else {
				known++;
			}
			if (outcome.released()) {
				released++;
			}
		}
		this.audit.record(AuditEntry.of(AuditTypes.ADMIN_PHONE_NUMBERS_RECYCLED)
			.actor("admin:" + operator.getName())
			.detail("stage", "finished")
			.detail("recycled_on", recycledOn.toString())
			.detail("recorded", recorded)
			.detail("already_known", known)
			.detail("released", released)
			.detail("invalid", invalid.size()));
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("recycled_on", recycledOn.toString());
		answer.put("recorded", recorded);
		answer.put("already_known", known);
		answer.put("released", released);
		answer.put("invalid", invalid);
		return answer;
	}

	private record Outcome(boolean fresh, boolean released) {
	}

	/** One number's signal and the release of its stale binding, committed together. */
	private Outcome reportOne(String e164, LocalDate recycledOn, Principal operator) {
		return this.tx.execute(status -> {
			boolean fresh = this.recycling.report(e164, recycledOn, "admin:" + operator.getName());
			boolean left = this.accounts.releaseIfRecycled(new IdentityKey(PhoneLoginMethod.METHOD, e164),
					PhoneRecycling.CARRIER_SIGNAL);
			return new Outcome(fresh, left);
		});
	}

	/**
	 * Gives an account that lost its number to recycling a new one, once an operator has verified its owner
	 * outside the gateway (a complaint): body {@code account}, {@code phone} (the owner's new number) and
	 * {@code reason}. Only for an account that lost a number; a number another account holds is refused (409).
	 */
	@PostMapping("/admin/api/phone-numbers/recycled/restore")
	Map<String, Object> restore(@RequestBody Map<String, Object> body, Principal operator) {
		String account = body.get("account") instanceof String a && !a.isBlank() ? a.strip() : null;
		String reason = body.get("reason") instanceof String r && !r.isBlank() && r.length() <= 500 ? r.strip() : null;
		if (account == null || reason == null) {
			throw bad("account and reason (why, up to 500 characters) are required");
		}
		String e164 = body.get("phone") instanceof String typed ? this.numbers.toE164(typed).orElse(null) : null;
		if (e164 == null) {
			throw bad("phone must be a mobile number");
		}
		if (this.accounts.find(account).filter(user -> user.active()).isEmpty()) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no active account " + account);
		}
		if (this.accounts.releasedIdentifiers(account).isEmpty()) {
			throw new ResponseStatusException(HttpStatus.CONFLICT, "this account lost no number to recycling");
		}
		// the link and the operator's entry commit together: no restored account without who restored it and why
		AccountService.LinkResult result = this.tx.execute(status -> {
			AccountService.LinkResult linked = this.accounts.link(account,
					new IdentityKey(PhoneLoginMethod.METHOD, e164), "operator");
			if (linked != AccountService.LinkResult.CONFLICT) {
				this.audit.record(AuditEntry.of(AuditTypes.ADMIN_ACCOUNT_RESTORED)
					.actor("admin:" + operator.getName())
					.subject(account)
					.detail("provider", PhoneLoginMethod.METHOD)
					.detail("reason", reason));
			}
			return linked;
		});
		if (result == AccountService.LinkResult.CONFLICT) {
			throw new ResponseStatusException(HttpStatus.CONFLICT, "that number belongs to another account");
		}
		return Map.of("account", account, "result", result.name().toLowerCase(java.util.Locale.ROOT));
	}

	private static LocalDate date(Object value) {
		if (!(value instanceof String text)) {
			throw bad("recycled_on is required: the ISO date the carrier reports, e.g. 2026-11-30");
		}
		try {
			return LocalDate.parse(text.strip());
		}
		catch (DateTimeParseException ex) {
			throw bad("recycled_on must be an ISO date, e.g. 2026-11-30");
		}
	}

	private static ResponseStatusException bad(String message) {
		return new ResponseStatusException(HttpStatus.BAD_REQUEST, message);
	}

}
