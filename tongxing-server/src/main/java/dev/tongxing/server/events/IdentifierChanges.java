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

	IdentifierChanges(JdbcClient jdbc, AccountService accounts, OutboxSecurityEvents events, Clock clock) {
		this.jdbc = jdbc;
		this.accounts = accounts;
		this.events = events;
		this.clock = clock;
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
