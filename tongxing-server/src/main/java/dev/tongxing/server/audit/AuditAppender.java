package dev.tongxing.server.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The node's one writer of the chain (group commit). Callers hand it entries — or the ids of entries their
 * committed transaction staged — and wait; it takes whatever has queued up, locks the chain head once for the
 * whole batch, links and inserts the entries, deletes the staged rows it linked, moves the head and commits,
 * then releases every waiter of the batch. No request ever locks the head: under load one lock, one commit
 * and one multi-row insert serve a whole batch, and batches grow with the load.
 * <p>
 * Staged rows left behind by a crash (committed, never linked) are picked up by a sweep on every node; the
 * head lock orders the nodes' appenders, and each staged row is read again under it, so a row is linked once.
 */
final class AuditAppender implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(AuditAppender.class);

	/** Entries per batch at most; more wait for the next one (a few milliseconds later). */
	static final int MAX_BATCH = 256;

	/** Rows per INSERT statement (placeholders per statement stay far below every driver's limit). */
	private static final int ROWS_PER_INSERT = 64;

	/** A staged row this old with nobody linking it was left by a crash (or a slow handover): the sweep takes it. */
	static final Duration ORPHAN_AGE = Duration.ofSeconds(2);

	/** One entry as recorded, before it has a place in the chain. */
	record Pending(Instant at, String type, String actor, String subject, String clientId, String details) {
	}

	private sealed interface Work permits Direct, Staged {

		CompletableFuture<Void> done();

	}

	private record Direct(Pending entry, CompletableFuture<Void> done) implements Work {
	}

	private record Staged(List<String> ids, CompletableFuture<Void> done) implements Work {
	}

	private record Head(long seq, String hash) {
	}

	private final JdbcClient jdbc;

	private final TransactionTemplate tx;

	private final Clock clock;

	private final UnaryOperator<String> mac;

	private final boolean postgres;

	private final long checkpointEvery;

	private final Runnable checkpoint;

	private final Duration sweepInterval;

	private final LinkedBlockingQueue<Work> queue = new LinkedBlockingQueue<>();

	private final Thread thread;

	private volatile boolean running = true;

	private Instant nextSweep;

	/**
	 * @param mac the staged rows' MAC (keyed, so that the database alone cannot forge one)
	 * @param postgres names the appender's transactions ({@code application_name}), so lock waits between the
	 * nodes' appenders are told apart from requests in {@code pg_stat_activity}
	 */
	AuditAppender(JdbcClient jdbc, TransactionTemplate tx, Clock clock, UnaryOperator<String> mac, boolean postgres,
			long checkpointEvery, Runnable checkpoint, Duration sweepInterval) {
		this.jdbc = jdbc;
		this.tx = tx;
		this.clock = clock;
		this.mac = mac;
		this.postgres = postgres;
		this.checkpointEvery = checkpointEvery;
		this.checkpoint = checkpoint;
		this.sweepInterval = sweepInterval;
		this.nextSweep = Instant.now(); // sweep at once: a restart after a crash links what the crash left
		// a platform thread: it blocks on the database with every request of the node waiting on it
		this.thread = Thread.ofPlatform().name("audit-appender").daemon().start(this::run);
	}

	/** Queues an entry; the future completes once it is in the chain and committed. */
	CompletableFuture<Void> append(Pending entry) {
		return enqueue(new Direct(entry, new CompletableFuture<>()));
	}

	/** Queues committed staged rows for linking; the future completes once they are in the chain. */
	CompletableFuture<Void> link(List<String> stagedIds) {
		return enqueue(new Staged(List.copyOf(stagedIds), new CompletableFuture<>()));
	}

	private CompletableFuture<Void> enqueue(Work work) {
		if (!this.running) {
			work.done().completeExceptionally(new IllegalStateException("The audit log is shut down"));
			return work.done();
		}
		this.queue.add(work);
		return work.done();
	}

	/** The MAC of a staged row over everything it holds. */
	String macOf(String id, long ordinal, Instant stagedAt, Pending entry) {
		StringBuilder json = new StringBuilder(256).append('[');
		CanonicalJson.value(json, id).append(',').append(ordinal).append(',');
		CanonicalJson.value(json, ChainedEntry.time(stagedAt)).append(',');
		CanonicalJson.value(json, ChainedEntry.time(entry.at())).append(',');
		CanonicalJson.value(json, entry.type()).append(',');
		CanonicalJson.value(json, entry.actor()).append(',');
		CanonicalJson.value(json, entry.subject()).append(',');
		CanonicalJson.value(json, entry.clientId()).append(',');
		CanonicalJson.value(json, entry.details());
		return this.mac.apply(json.append(']').toString());
	}

	private void run() {
		List<Work> batch = new ArrayList<>(MAX_BATCH);
		while (this.running || !this.queue.isEmpty()) {
			try {
				Work first = this.queue.poll(200, TimeUnit.MILLISECONDS);
				if (first != null) {
					batch.add(first);
					this.queue.drainTo(batch, MAX_BATCH - 1);
					write(batch);
					batch.clear();
				}
				if (this.running && !Instant.now().isBefore(this.nextSweep)) {
					this.nextSweep = Instant.now().plus(this.sweepInterval);
					try {
						sweep();
					}
					catch (RuntimeException ex) {
						log.warn("Could not look for staged audit entries to link: {}", ex.toString());
					}
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
			catch (RuntimeException | Error ex) {
				log.error("The audit appender failed", ex);
			}
		}
		for (Work left; (left = this.queue.poll()) != null;) {
			left.done().completeExceptionally(new IllegalStateException("The audit log is shut down"));
		}
	}

	private void write(List<Work> batch) {
		try {
			long[] range = this.tx.execute(status -> chain(batch));
			batch.forEach(work -> work.done().complete(null));
			afterCommit(range[0], range[1]);
		}
		catch (RuntimeException ex) {
			// staged rows stay staged (the sweep retries them); direct entries are refused to their callers
			log.warn("Could not append {} audit work item(s): {}", batch.size(), ex.toString());
			batch.forEach(work -> work.done().completeExceptionally(ex));
		}
	}

	private void sweep() {
		List<String> orphans = this.jdbc
			.sql("SELECT id FROM audit_staged_entry WHERE staged_at < :before ORDER BY staged_at, ordinal")
			.param("before", this.clock.instant().minus(ORPHAN_AGE).atOffset(ZoneOffset.UTC))
			.query(String.class)
			.list();
		for (int from = 0; from < orphans.size(); from += MAX_BATCH) {
			List<String> ids = orphans.subList(from, Math.min(orphans.size(), from + MAX_BATCH));
			List<Work> batch = List.of(new Staged(ids, new CompletableFuture<>()));
			write(batch);
		}
		if (!orphans.isEmpty()) {
			log.info("Linked {} audit entries staged by a transaction whose node did not link them", orphans.size());
		}
	}

	/** In the batch's transaction. @return the chain's last seq before and after */
	private long[] chain(List<Work> batch) {
		if (this.postgres) {
			this.jdbc.sql("SET LOCAL application_name = 'tongxing-audit-appender'").update();
		}
		Head head = this.jdbc.sql("SELECT seq, hash FROM audit_chain_head WHERE id = 1 FOR UPDATE")
			.query((rs, i) -> new Head(rs.getLong(1), rs.getString(2)))
			.single();
		List<ChainedEntry> linked = new ArrayList<>(batch.size());
		List<String> consumed = new ArrayList<>();
		long seq = head.seq();
		String prev = head.hash();
		for (Work work : batch) {
			List<Pending> entries = work instanceof Direct direct ? List.of(direct.entry())
					: readStaged(((Staged) work).ids(), consumed);
			for (Pending e : entries) {
				ChainedEntry chained = ChainedEntry.link(++seq, e.at(), e.type(), e.actor(), e.subject(), e.clientId(),
						e.details(), prev);
				linked.add(chained);
				prev = chained.hash();
			}
		}
		if (linked.isEmpty()) {
			return new long[] { head.seq(), head.seq() };
		}
		insert(linked);
		for (int from = 0; from < consumed.size(); from += ROWS_PER_INSERT) {
			this.jdbc.sql("DELETE FROM audit_staged_entry WHERE id IN (:ids)")
				.param("ids", padded(consumed.subList(from, Math.min(consumed.size(), from + ROWS_PER_INSERT))))
				.update();
		}
		this.jdbc.sql("UPDATE audit_chain_head SET seq = :seq, hash = :hash WHERE id = 1")
			.param("seq", seq)
			.param("hash", prev)
			.update();
		return new long[] { head.seq(), seq };
	}

	/** Ids of staged rows whose MAC does not verify: rows the gateway did not write (the verifier reports them). */
	List<String> forgedStaged() {
		List<String> forged = new ArrayList<>();
		this.jdbc.sql("""
				SELECT id, ordinal, staged_at, recorded_at, type, actor, subject, client_id, details, mac
				FROM audit_staged_entry ORDER BY staged_at, ordinal""").query(rs -> {
			Pending entry = new Pending(rs.getObject(4, OffsetDateTime.class).toInstant(), rs.getString(5),
					rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9));
			String id = rs.getString(1);
			if (!macOf(id, rs.getLong(2), rs.getObject(3, OffsetDateTime.class).toInstant(), entry)
				.equals(rs.getString(10).trim())) {
				forged.add(id);
			}
		});
		return forged;
	}

	/** The staged rows still there (another node may have linked some), in staging order; MACs checked. */
	private List<Pending> readStaged(List<String> ids, List<String> consumed) {
		Set<String> wanted = new LinkedHashSet<>(ids);
		wanted.removeAll(consumed);
		if (wanted.isEmpty()) {
			return List.of();
		}
		List<Pending> found = new ArrayList<>();
		List<String> all = new ArrayList<>(wanted);
		for (int from = 0; from < all.size(); from += ROWS_PER_INSERT) {
			this.jdbc.sql("""
					SELECT id, ordinal, staged_at, recorded_at, type, actor, subject, client_id, details, mac
					FROM audit_staged_entry WHERE id IN (:ids) ORDER BY staged_at, ordinal""")
				.param("ids", padded(all.subList(from, Math.min(all.size(), from + ROWS_PER_INSERT))))
				.query(rs -> {
					String id = rs.getString(1);
					Pending entry = new Pending(rs.getObject(4, OffsetDateTime.class).toInstant(), rs.getString(5),
							rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9));
					Instant stagedAt = rs.getObject(3, OffsetDateTime.class).toInstant();
					if (!macOf(id, rs.getLong(2), stagedAt, entry).equals(rs.getString(10).trim())) {
						// left where it is, for the verifier to report: never chained as ours
						log.error("Audit staging row {} has no valid MAC: it was not written by the gateway", id);
						return;
					}
					found.add(entry);
					consumed.add(id);
				});
		}
		return found;
	}

	private void insert(List<ChainedEntry> linked) {
		int from = 0;
		while (from < linked.size()) {
			int remaining = linked.size() - from;
			int rows = remaining >= ROWS_PER_INSERT ? ROWS_PER_INSERT : remaining >= SMALL_INSERT ? SMALL_INSERT : 1;
			List<Object> params = new ArrayList<>(rows * 9);
			for (ChainedEntry e : linked.subList(from, from + rows)) {
				params.add(e.seq());
				params.add(e.recordedAt().atOffset(ZoneOffset.UTC));
				params.add(e.type());
				params.add(e.actor());
				params.add(e.subject());
				params.add(e.clientId());
				params.add(e.details());
				params.add(e.prevHash());
				params.add(e.hash());
			}
			this.jdbc.sql(INSERTS.get(rows)).params(params).update();
			from += rows;
		}
	}

	/**
	 * Statements of a few fixed shapes only, so the database parses each once per connection: a multi-row INSERT
	 * of whatever size the batch had was parsed anew every time (H2's parser was 8 % of a client grant's CPU).
	 */
	private static final int SMALL_INSERT = 8;

	private static final java.util.Map<Integer, String> INSERTS = java.util.Map.of(1, insertOf(1), SMALL_INSERT,
			insertOf(SMALL_INSERT), ROWS_PER_INSERT, insertOf(ROWS_PER_INSERT));

	private static String insertOf(int rows) {
		return "INSERT INTO audit_entry (seq, recorded_at, type, actor, subject, client_id, details, prev_hash, hash) VALUES "
				+ String.join(",", java.util.Collections.nCopies(rows, "(?,?,?,?,?,?,?,?,?)"));
	}

	/** An IN list of always {@link #ROWS_PER_INSERT} ids (the last repeated: IN ignores duplicates), for the same reason. */
	private static List<String> padded(List<String> ids) {
		List<String> padded = new ArrayList<>(ROWS_PER_INSERT);
		padded.addAll(ids);
		while (padded.size() < ROWS_PER_INSERT) {
			padded.add(ids.getLast());
		}
		return padded;
	}

	/** Signs a checkpoint when the entries just appended reached a multiple of {@code checkpointEvery}. */
	private void afterCommit(long before, long after) {
		if (after / this.checkpointEvery > before / this.checkpointEvery) {
			Thread.ofVirtual().name("audit-checkpoint").start(this::checkpointQuietly);
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

	/** Writes what is queued, then stops. */
	@Override
	public void close() {
		this.running = false; // no interrupt: H2 closes a database whose thread is interrupted mid-statement
		try {
			this.thread.join(Duration.ofSeconds(10));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
