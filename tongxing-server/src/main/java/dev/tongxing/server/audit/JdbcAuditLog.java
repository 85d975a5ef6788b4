package dev.tongxing.server.audit;

import dev.tongxing.server.crypto.RandomIds;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The chain, written without a lock that requests share: every entry reaches the chain through the node's
 * {@link AuditAppender} (group commit), and the caller waits until its entry is committed there.
 * <p>
 * Inside a caller's transaction the entry must commit or roll back with the business change it records, so
 * it is first staged: just before that transaction commits its entries are inserted as rows of their own
 * ({@code audit_staged_entry}, insert-only, touched by no other request), and right after the commit the
 * appender links them into the chain. A crash between the two leaves them staged, and a sweep links them.
 */
final class JdbcAuditLog implements AuditLog, AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(JdbcAuditLog.class);

	static final int MAX_DETAILS = 4000;

	/** How long a caller waits for the appender before it gives up (the database is down, most likely). */
	private static final Duration WAIT = Duration.ofSeconds(15);

	private final JdbcClient jdbc;

	private final Clock clock;

	private final AuditAppender appender;

	/** Orders the staged rows of one node that share a millisecond. */
	private final AtomicLong ordinals = new AtomicLong();

	private final AutoCloseable appenderConnections;

	/**
	 * @param jdbc the application's database access: staged rows join the caller's transaction through it
	 * @param appenderJdbc the appender's own connections: callers wait for the appender while holding theirs
	 * (a caller's connection is released only after its after-commit callbacks), so with one shared pool every
	 * connection could be held by a waiter and the appender find none
	 * @param appenderConnections closed with the log (null when the appender shares the caller's data source)
	 * @param mac keyed MAC of staged rows
	 * @param checkpoint run (on a thread of its own, after commit) every {@code checkpointEvery} entries
	 */
	JdbcAuditLog(JdbcClient jdbc, JdbcClient appenderJdbc, TransactionTemplate appenderTx,
			AutoCloseable appenderConnections, Clock clock, UnaryOperator<String> mac, boolean postgres,
			long checkpointEvery, Runnable checkpoint, Duration sweepInterval) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.appenderConnections = appenderConnections;
		this.appender = new AuditAppender(appenderJdbc, appenderTx, clock, mac, postgres, checkpointEvery, checkpoint,
				sweepInterval);
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
		AuditAppender.Pending pending = new AuditAppender.Pending(at, entry.type(), limit(entry.actor(), 200),
				limit(entry.subject(), 64), limit(entry.clientId(), 100), details);
		if (TransactionSynchronizationManager.isActualTransactionActive()
				&& TransactionSynchronizationManager.isSynchronizationActive()) {
			stagedInThisTransaction().add(pending);
		}
		else {
			await(this.appender.append(pending), true);
		}
	}

	/** The entries of the current transaction, staged just before it commits and linked right after. */
	private List<AuditAppender.Pending> stagedInThisTransaction() {
		@SuppressWarnings("unchecked")
		List<AuditAppender.Pending> entries = (List<AuditAppender.Pending>) TransactionSynchronizationManager
			.getResource(this);
		if (entries != null) {
			return entries;
		}
		List<AuditAppender.Pending> created = new ArrayList<>(4);
		List<String> ids = new ArrayList<>(4);
		TransactionSynchronizationManager.bindResource(this, created);
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void beforeCommit(boolean readOnly) {
				stage(created, ids); // a failure here rolls the caller's transaction back
			}

			@Override
			public void afterCommit() {
				if (!ids.isEmpty()) {
					await(JdbcAuditLog.this.appender.link(ids), false);
				}
			}

			@Override
			public void afterCompletion(int status) {
				TransactionSynchronizationManager.unbindResourceIfPossible(JdbcAuditLog.this);
			}
		});
		return created;
	}

	/** In the caller's transaction: one multi-row insert of its entries, each with its MAC. */
	private void stage(List<AuditAppender.Pending> entries, List<String> ids) {
		if (entries.isEmpty()) {
			return;
		}
		Instant stagedAt = this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
		StringBuilder sql = new StringBuilder("""
				INSERT INTO audit_staged_entry (id, ordinal, staged_at, recorded_at, type, actor, subject, client_id,
				details, mac) VALUES """);
		List<Object> params = new ArrayList<>(entries.size() * 10);
		for (int i = 0; i < entries.size(); i++) {
			AuditAppender.Pending e = entries.get(i);
			String id = RandomIds.next();
			long ordinal = this.ordinals.incrementAndGet();
			sql.append(i == 0 ? "" : ",").append("(?,?,?,?,?,?,?,?,?,?)");
			params.add(id);
			params.add(ordinal);
			params.add(stagedAt.atOffset(ZoneOffset.UTC));
			params.add(e.at().atOffset(ZoneOffset.UTC));
			params.add(e.type());
			params.add(e.actor());
			params.add(e.subject());
			params.add(e.clientId());
			params.add(e.details());
			params.add(this.appender.macOf(id, ordinal, stagedAt, e));
			ids.add(id);
		}
		this.jdbc.sql(sql.toString()).params(params).update();
	}

	/**
	 * @param required whether the caller must know the entry is in (a direct append: its only copy is in
	 * the queue); a staged entry is durable already and is linked by the sweep if the handover fails
	 */
	private static void await(java.util.concurrent.CompletableFuture<Void> done, boolean required) {
		try {
			done.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			if (required) {
				throw new IllegalStateException("Interrupted while the audit entry was being appended", ex);
			}
		}
		catch (ExecutionException | TimeoutException ex) {
			if (required) {
				throw new IllegalStateException("The audit entry could not be appended", ex);
			}
			log.warn("Staged audit entries are not linked yet ({}); the sweep will link them", ex.toString());
		}
	}

	/** Actor, subject and client are ids; an overlong one is cut rather than the entry lost. */
	private static String limit(String value, int max) {
		return value == null || value.length() <= max ? value : value.substring(0, max);
	}

	/** Staged rows that the gateway did not write. */
	List<String> forgedStaged() {
		return this.appender.forgedStaged();
	}

	@Override
	public void close() {
		this.appender.close();
		if (this.appenderConnections != null) {
			try {
				this.appenderConnections.close();
			}
			catch (Exception ex) {
				log.warn("Could not close the audit appender's connections: {}", ex.toString());
			}
		}
	}

}
