package dev.tongxing.server.console;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Who operates the console and with which roles: the roles granted (kept in {@code console_operator}) and
 * those of {@code tongxing.admin.operators[]}, whose phone numbers are found through the accounts' keyed
 * lookup hashes at each check (so a configured operator who signs in for the first time holds them at once).
 */
@Service
public class Operators {

	/** Roles granted or taken away (the operator's account, the new roles, who did it). */
	public static final String OPERATOR_ROLES_CHANGED = "admin.operator.roles-changed";

	static final String PHONE_PROVIDER = "phone";

	private final JdbcClient jdbc;

	private final AccountService accounts;

	private final AuditLog audit;

	private final OperatorProperties properties;

	private final Clock clock;

	@org.springframework.beans.factory.annotation.Autowired
	Operators(JdbcClient jdbc, AccountService accounts, AuditLog audit, OperatorProperties properties) {
		this(jdbc, accounts, audit, properties, Clock.systemUTC());
	}

	Operators(JdbcClient jdbc, AccountService accounts, AuditLog audit, OperatorProperties properties, Clock clock) {
		this.jdbc = jdbc;
		this.accounts = accounts;
		this.audit = audit;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * An account named by its id or by a phone number (E.164, found through the lookup hash).
	 * @return empty when no account has that id or number
	 */
	public Optional<String> resolve(String accountIdOrPhone) {
		if (accountIdOrPhone == null || accountIdOrPhone.isBlank()) {
			return Optional.empty();
		}
		String who = accountIdOrPhone.strip();
		if (who.startsWith("+")) {
			return this.accounts.userFor(new ExternalIdentity.IdentityKey(PHONE_PROVIDER, who));
		}
		return this.accounts.find(who).map(account -> who);
	}

	/** The roles an account holds: granted ones and those configuration gives its phone number. */
	public Set<OperatorRole> roles(String accountId) {
		Set<OperatorRole> roles = granted(accountId);
		for (OperatorProperties.ConfiguredOperator configured : this.properties.operators()) {
			Optional<String> user = this.accounts.userFor(new ExternalIdentity.IdentityKey(PHONE_PROVIDER, configured.phone()));
			if (user.isPresent() && user.get().equals(accountId)) {
				roles.addAll(OperatorRole.parseAll(String.join(",", configured.roles())));
			}
		}
		return roles;
	}

	/** The roles kept in the database alone. */
	public Set<OperatorRole> granted(String accountId) {
		return this.jdbc.sql("SELECT roles FROM console_operator WHERE account_id = :id")
			.param("id", accountId)
			.query(String.class)
			.optional()
			.map(OperatorRole::parseAll)
			.orElseGet(() -> EnumSet.noneOf(OperatorRole.class));
	}

	/**
	 * Sets the roles an account holds (none: it is no longer an operator), audited in the same transaction.
	 * @param actor who grants, for the audit log ({@code cli:<user>} or {@code operator:<account id>})
	 * @throws IllegalArgumentException when no account has that id
	 */
	@Transactional
	public void grant(String accountId, Set<OperatorRole> roles, String actor) {
		if (this.accounts.find(accountId).isEmpty()) {
			throw new IllegalArgumentException("No account has that id");
		}
		this.jdbc.sql("DELETE FROM console_operator WHERE account_id = :id").param("id", accountId).update();
		if (!roles.isEmpty()) {
			this.jdbc.sql("INSERT INTO console_operator (account_id, roles, granted_by, granted_at) VALUES (:id, :roles, :by, :at)")
				.param("id", accountId)
				.param("roles", OperatorRole.join(roles))
				.param("by", actor)
				.param("at", OffsetDateTime.ofInstant(Instant.now(this.clock), ZoneOffset.UTC))
				.update();
		}
		this.audit.record(AuditEntry.of(OPERATOR_ROLES_CHANGED)
			.actor(actor)
			.subject(accountId)
			.detail("roles", roles.isEmpty() ? "none" : OperatorRole.join(roles)));
	}

	/** The operators granted in the database, by account id. */
	public List<GrantedOperator> list() {
		return this.jdbc.sql("SELECT account_id, roles, granted_by, granted_at FROM console_operator ORDER BY granted_at, account_id")
			.query((rs, n) -> new GrantedOperator(rs.getString(1), OperatorRole.parseAll(rs.getString(2)), rs.getString(3),
					rs.getObject(4, OffsetDateTime.class).toInstant()))
			.list();
	}

	public record GrantedOperator(String accountId, Set<OperatorRole> roles, String grantedBy, Instant grantedAt) {

	}

}
