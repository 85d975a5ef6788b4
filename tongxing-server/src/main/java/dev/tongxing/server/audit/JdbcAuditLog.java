package dev.tongxing.server.audit;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Appends to the chain: locks the head row, inserts the entry linked to the head's hash and moves the
 * head, all in one transaction. The lock orders appends across every node on the database; a crash
 * leaves both the entry and the head, or neither.
 * <p>
 * Inside a caller's transaction the append waits until just before that transaction commits: the head
 * is then locked for a moment rather than for the whole business transaction, always as the last lock
 * taken (no lock-order deadlocks with business rows), and the chain's order is the commit order.
 */
final class JdbcAuditLog implements AuditLog {

	private static final Logger log = LoggerFactory.getLogger(JdbcAuditLog.class);

	static final int MAX_DETAILS = 4000;

	private record Head(long seq, String hash) {
	}

	private final JdbcClient jdbc;

	private final TransactionTemplate tx;

	private final Clock clock;

	private final long checkpointEvery;

	private final Runnable checkpoint;

	/**
	 * @param checkpoint run (on a thread of its own, after commit) every {@code checkpointEvery} entries
	 */
	JdbcAuditLog(JdbcClient jdbc, TransactionTemplate tx, Clock clock, long checkpointEvery, Runnable checkpoint) {
		this.jdbc = jdbc;
		this.tx = tx;
		this.clock = clock;
		this.checkpointEvery = checkpointEvery;
		this.checkpoint = checkpoint;
	}

	@Override
	public void record(AuditEntry entry) {
		if (!AuditTypes.wellFormed(entry.type())) {
			throw new IllegalArgumentException("Not an audit entry type: " + entry.type());
		}
		String details = CanonicalJson.object(entry.details());
		if (details.length() > MAX_DETAILS) {
			throw new IllegalArgumentException("Audit details too large (" + details.length() + " characters)");
		}
		// milliseconds: what every database keeps exactly, so the hash verifies after a round trip
		Instant at = (entry.at() != null ? entry.at() : this.clock.instant()).truncatedTo(ChronoUnit.MILLIS);
		if (TransactionSynchronizationManager.isActualTransactionActive()
				&& TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void beforeCommit(boolean readOnly) {
					append(entry, details, at); // a failure here rolls the caller's transaction back
				}
			});
		}
		else {
			this.tx.executeWithoutResult(status -> append(entry, details, at));
		}
	}

	/** Runs in a transaction: the caller's, or one of its own. */
	private void append(AuditEntry entry, String details, Instant at) {
		Head head = this.jdbc.sql("SELECT seq, hash FROM audit_chain_head WHERE id = 1 FOR UPDATE")
			.query((rs, i) -> new Head(rs.getLong(1), rs.getString(2)))
			.single();
		ChainedEntry chained = ChainedEntry.link(head.seq() + 1, at, entry.type(), limit(entry.actor(), 200),
				limit(entry.subject(), 64), limit(entry.clientId(), 100), details, head.hash());
		this.jdbc.sql("""
				INSERT INTO audit_entry (seq, recorded_at, type, actor, subject, client_id, details, prev_hash, hash)
				VALUES (:seq, :at, :type, :actor, :subject, :client, :details, :prev, :hash)""")
			.param("seq", chained.seq())
			.param("at", at.atOffset(ZoneOffset.UTC))
			.param("type", chained.type())
			.param("actor", chained.actor())
			.param("subject", chained.subject())
			.param("client", chained.clientId())
			.param("details", details)
			.param("prev", chained.prevHash())
			.param("hash", chained.hash())
			.update();
		this.jdbc.sql("UPDATE audit_chain_head SET seq = :seq, hash = :hash WHERE id = 1")
			.param("seq", chained.seq())
			.param("hash", chained.hash())
			.update();
		if (chained.seq() % this.checkpointEvery == 0) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					Thread.ofVirtual().name("audit-checkpoint").start(JdbcAuditLog.this::checkpointQuietly);
				}
			});
		}
	}

	private void checkpointQuietly() {
		try {
			this.checkpoint.run();
		}
		catch (RuntimeException ex) {
			log.warn("Could not sign an audit checkpoint; the scheduled one will cover these entries", ex);
		}
	}

	/** Actor, subject and client are ids; an overlong one is cut rather than the entry lost. */
	private static String limit(String value, int max) {
		return value == null || value.length() <= max ? value : value.substring(0, max);
	}

}
