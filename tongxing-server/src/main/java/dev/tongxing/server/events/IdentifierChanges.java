package dev.tongxing.server.events;

import dev.tongxing.server.account.AccountChangeKind;
import dev.tongxing.server.account.AccountChanged;
import dev.tongxing.server.account.AccountService;
import java.time.Clock;
import java.time.ZoneOffset;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Phone rebinding becomes RISC {@code identifier-changed}: binding a phone to an account that has, or once
 * had, another one. Runs inside the account's transaction ({@link AccountChanged} is published there), so
 * the queued events commit or roll back with the change. The first phone an account binds is no change.
 */
@Component
class IdentifierChanges {

	private final JdbcClient jdbc;

	private final AccountService accounts;

	private final OutboxSecurityEvents events;

	private final Clock clock;

	private final org.springframework.jdbc.core.JdbcTemplate batch;

	IdentifierChanges(JdbcClient jdbc, AccountService accounts, OutboxSecurityEvents events, Clock clock,
			org.springframework.jdbc.core.JdbcTemplate batch) {
		this.batch = batch;
		this.jdbc = jdbc;
		this.accounts = accounts;
		this.events = events;
		this.clock = clock;
	}

	/**
	 * New accounts made at once: each one's phone is its first, so it is seen now and changes nothing (a second
	 * phone in the same creation would be a change no app can hear of: no app knows the account yet).
	 */
	@EventListener
	void on(dev.tongxing.server.account.AccountsCreated created) {
		java.time.OffsetDateTime now = this.clock.instant().atOffset(ZoneOffset.UTC);
		java.util.List<Object[]> seen = created.accounts()
			.stream()
			.filter(account -> account.providers().contains("phone"))
			.map(account -> new Object[] { account.userId(), "phone", now })
			.toList();
		if (!seen.isEmpty()) {
			this.batch.batchUpdate("INSERT INTO events_identifier_seen (user_id, provider, first_bound_at) VALUES (?, ?, ?)",
					seen);
		}
	}

	@EventListener
	void on(AccountChanged changed) {
		if (changed.kind() != AccountChangeKind.LINK || !changed.isPhone()) {
			return;
		}
		boolean seen = this.jdbc
			.sql("SELECT COUNT(*) FROM events_identifier_seen WHERE user_id = :u AND provider = :p")
			.param("u", changed.userId())
			.param("p", changed.provider())
			.query(Long.class)
			.single() > 0;
		// phones bound before this table existed: the account holds another one besides the new one
		boolean hadOne = seen || this.accounts.identities(changed.userId())
			.stream()
			.filter(identity -> changed.provider().equals(identity.provider()))
			.count() > 1;
		if (hadOne) {
			this.events.identifierChanged(changed.userId());
		}
		if (!seen) {
			this.jdbc.sql("INSERT INTO events_identifier_seen (user_id, provider, first_bound_at) VALUES (:u, :p, :at)")
				.param("u", changed.userId())
				.param("p", changed.provider())
				.param("at", this.clock.instant().atOffset(ZoneOffset.UTC))
				.update();
		}
	}

}
