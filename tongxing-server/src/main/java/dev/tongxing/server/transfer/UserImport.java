package dev.tongxing.server.transfer;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.AccountStatus;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.audit.AuditTypes;
import dev.tongxing.server.kernel.MobileNumbers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code import users}: people from another system, one JSON Lines record each, become accounts by the same
 * one-account-per-person rules as sign-in, through {@link AccountService}. New people of a slice of lines share
 * one transaction, every other record has its own (each with its audit entries); every
 * {@value #CHECKPOINT_EVERY} lines the run's checkpoint commits after them, so a crash loses nothing and the next
 * run resumes after the last checkpoint; a record already imported unchanged changes nothing.
 * A dry run writes nothing and also finds conflicts between lines of the file.
 */
@Service
public class UserImport {

	/** What the account history and audit log say made the account. */
	static final String METHOD = "import";

	static final int CHECKPOINT_EVERY = 100;

	/** Problems kept for the report; the counts go on. */
	static final int MAX_PROBLEMS = 1000;

	private final AccountService accounts;

	private final ImportedPeople people;

	private final UserRecordFormat format;

	private final RegisteredClientRepository clients;

	private final AuditLog audit;

	private final TransactionTemplate tx;

	private final Clock clock;

	private final TransferProperties properties;

	private final ImportedSubjects subjects;

	UserImport(AccountService accounts, ImportedPeople people, MobileNumbers phones, RegisteredClientRepository clients,
			AuditLog audit, TransactionTemplate tx, Clock clock, TransferProperties properties,
			ImportedSubjects subjects) {
		this.subjects = subjects;
		this.accounts = accounts;
		this.people = people;
		this.format = new UserRecordFormat(phones);
		this.clients = clients;
		this.audit = audit;
		this.tx = tx;
		this.clock = clock;
		this.properties = properties;
	}

	/** One line the import could not take, by its number in the file (the first line is 1). */
	public record Problem(long line, Kind kind, String message) {

		@Override
		public String toString() {
			return "line " + this.line + ": " + this.kind.label + ": " + this.message;
		}

	}

	public enum Kind {

		INVALID("invalid"), CONFLICT("conflict");

		private final String label;

		Kind(String label) {
			this.label = label;
		}

		public String label() {
			return this.label;
		}

	}

	/**
	 * How a run went (or is going, for the progress line).
	 * @param read non-blank lines read, including those skipped by resuming
	 * @param resumed lines skipped because an interrupted run of the same file had committed them
	 * @param created new accounts
	 * @param merged old users added to an account that already signed in here (by a shared key)
	 * @param updated people imported before whose record has changed (new keys or subs added)
	 * @param unchanged people imported before with the same record (or erased since: never brought back)
	 * @param unverifiedPhones phone numbers left out because the old system had not verified them
	 */
	public record Report(boolean dryRun, long read, long resumed, long created, long merged, long updated,
			long unchanged, long invalid, long conflicts, long unverifiedPhones, List<Problem> problems) {

		public String progressLine() {
			return String.format("%s%,d lines: %,d created, %,d merged, %,d updated, %,d unchanged, %,d invalid, %,d conflicts",
					this.dryRun ? "[dry run] " : "", this.read, this.created, this.merged, this.updated, this.unchanged,
					this.invalid, this.conflicts);
		}

		public String describe() {
			StringBuilder text = new StringBuilder();
			text.append(this.dryRun ? "Dry run (nothing written): " : "Import: ")
				.append(String.format("%,d records read", this.read));
			if (this.resumed > 0) {
				text.append(String.format(" (%,d of them committed by an interrupted run, skipped)", this.resumed));
			}
			text.append(System.lineSeparator());
			String would = this.dryRun ? "would be " : "";
			Object[][] lines = { { would + "created:", this.created }, { would + "merged:", this.merged },
					{ would + "updated:", this.updated }, { "unchanged:", this.unchanged }, { "invalid:", this.invalid },
					{ "conflicts:", this.conflicts } };
			for (Object[] line : lines) {
				text.append(String.format("  %-18s %,d%n", line[0], line[1]));
			}
			if (this.unverifiedPhones > 0) {
				text.append(String.format("  %,d unverified phone numbers left out (sign-in links verified numbers only)%n",
						this.unverifiedPhones));
			}
			this.problems.forEach(p -> text.append("  ").append(p).append(System.lineSeparator()));
			long untold = this.invalid + this.conflicts - this.problems.size();
			if (untold > 0) {
				text.append(String.format("  ... and %,d more problems%n", untold));
			}
			return text.toString();
		}

		public boolean clean() {
			return this.invalid == 0 && this.conflicts == 0;
		}

	}

	/** The running counts. */
	private static final class Tally {

		final boolean dryRun;

		long read;

		long resumed;

		long created;

		long merged;

		long updated;

		long unchanged;

		long invalid;

		long conflicts;

		long unverifiedPhones;

		final List<Problem> problems = new ArrayList<>();

		Tally(boolean dryRun) {
			this.dryRun = dryRun;
		}

		void problem(long line, Kind kind, String message) {
			if (kind == Kind.INVALID) {
				this.invalid++;
			}
			else {
				this.conflicts++;
			}
			if (this.problems.size() < MAX_PROBLEMS) {
				this.problems.add(new Problem(line, kind, message));
			}
		}

		Report report() {
			return new Report(this.dryRun, this.read, this.resumed, this.created, this.merged, this.updated,
					this.unchanged, this.invalid, this.conflicts, this.unverifiedPhones, List.copyOf(this.problems));
		}

	}

	/** A record that cannot be imported as it stands; nothing of it is written. */
	static final class ConflictException extends RuntimeException {

		ConflictException(String message) {
			super(message, null, false, false);
		}

	}

	private enum Outcome {

		CREATED("created"), MERGED("merged"), UPDATED("updated"), UNCHANGED("unchanged");

		final String code;

		Outcome(String code) {
			this.code = code;
		}

	}

	/**
	 * Imports (or, for a dry run, checks) every line.
	 * @param lines opens the input from its start; called once
	 * @param sourceSha256 the input's SHA-256, under which an interrupted run's checkpoint is kept
	 * @param actor who runs it, for the audit log ({@code cli:<user>}, {@code admin:<name>})
	 * @param progress told how things stand every thousand lines or so
	 */
	public Report run(Supplier<BufferedReader> lines, String sourceSha256, boolean dryRun, String actor,
			Consumer<Report> progress) {
		Tally tally = new Tally(dryRun);
		for (String client : this.properties.oldIdAsSub()) {
			if (this.clients.findByClientId(client) == null) {
				throw new IllegalStateException("tongxing.transfer.old-id-as-sub names " + client
						+ ", which is not a registered client");
			}
		}
		long resumeAfter = dryRun ? 0 : this.people.linesDone(sourceSha256);
		if (!dryRun && resumeAfter > 0 && this.people.finished(sourceSha256)) {
			resumeAfter = 0; // a finished run is checked again in full: conflicts may have been resolved since
		}
		FileIndex index = new FileIndex();
		Set<String> clientsKnown = new HashSet<>();
		int workers = Math.max(1, this.properties.workers());
		ExecutorService pool = workers == 1 ? null : Executors.newFixedThreadPool(workers, runnable -> {
			Thread thread = new Thread(runnable, "import-worker");
			thread.setDaemon(true);
			return thread;
		});
		List<Prepared> chunk = new ArrayList<>();
		long lineNumber = 0;
		long reported = 0;
		try (BufferedReader reader = lines.get()) {
			String line;
			while (true) {
				try {
					line = reader.readLine();
				}
				catch (IOException unreadable) {
					// what was read so far is imported and checkpointed: the next run resumes after it
					flush(chunk, lineNumber, tally, pool, sourceSha256, actor);
					throw new UncheckedIOException(unreadable);
				}
				if (line == null) {
					break;
				}
				lineNumber++;
				if (line.isBlank()) {
					continue;
				}
				tally.read++;
				if (lineNumber <= resumeAfter) {
					tally.resumed++;
					continue;
				}
				chunk.add(prepare(lineNumber, line, tally, index, clientsKnown));
				if (chunk.size() == CHECKPOINT_EVERY) {
					flush(chunk, lineNumber, tally, pool, sourceSha256, actor);
				}
				if (tally.read - reported >= 1000) {
					reported = tally.read;
					progress.accept(tally.report());
				}
			}
			flush(chunk, lineNumber, tally, pool, sourceSha256, actor);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			if (pool != null) {
				pool.shutdownNow();
			}
		}
		if (!dryRun) {
			long done = lineNumber;
			this.tx.executeWithoutResult(status -> this.people.checkpoint(sourceSha256, done, this.clock.instant(), true));
		}
		Report report = tally.report();
		this.audit.record(AuditEntry.of(AuditTypes.ADMIN_USERS_IMPORTED)
			.actor(actor)
			.detail("dry_run", dryRun)
			.detail("read", report.read())
			.detail("created", report.created())
			.detail("merged", report.merged())
			.detail("updated", report.updated())
			.detail("unchanged", report.unchanged())
			.detail("invalid", report.invalid())
			.detail("conflicts", report.conflicts()));
		return report;
	}

	/**
	 * A line as read, checked on its own and against the lines before it: a record to import, or its problem.
	 * Decided in file order on the reading thread, so that which of two lines is the conflict never depends on
	 * the workers' timing, and a dry run tells exactly what the real run will.
	 */
	private record Prepared(long line, UserRecord record, String sha256, Problem problem) {
	}

	private Prepared prepare(long lineNumber, String line, Tally tally, FileIndex index, Set<String> clientsKnown) {
		UserRecordFormat.Parsed parsed = this.format.parse(line);
		if (!parsed.valid()) {
			return new Prepared(lineNumber, null, null,
					new Problem(lineNumber, Kind.INVALID, String.join("; ", parsed.errors())));
		}
		UserRecord record = withOldIdSubs(parsed.record());
		tally.unverifiedPhones += record.phones().stream().filter(p -> !p.verified()).count();
		for (String client : new java.util.TreeSet<>(record.subs().keySet())) {
			if (!clientsKnown.contains(client)) {
				if (this.clients.findByClientId(client) == null) {
					return new Prepared(lineNumber, null, null, new Problem(lineNumber, Kind.CONFLICT, "subs names client \""
							+ client + "\", which is not registered here (register it first, or leave it out)"));
				}
				clientsKnown.add(client);
			}
		}
		Optional<String> inFile = index.claim(record, lineNumber);
		if (inFile.isPresent()) {
			return new Prepared(lineNumber, null, null, new Problem(lineNumber, Kind.CONFLICT, inFile.get()));
		}
		return new Prepared(lineNumber, record, sha256(this.format.write(record)), null);
	}

	/**
	 * Imports the lines read since the last checkpoint (in parallel when there are workers: lines of one chunk
	 * share no key, {@link #prepare} saw to that), counts them in file order, then moves the checkpoint.
	 */
	private void flush(List<Prepared> chunk, long lineNumber, Tally tally, ExecutorService pool, String sourceSha256,
			String actor) {
		if (chunk.isEmpty()) {
			return;
		}
		// a dry run plans each line on its own; a real run imports slices of the chunk, one per worker, each
		// creating its new people together (importSlice)
		List<Callable<List<Object>>> tasks = new ArrayList<>();
		if (tally.dryRun) {
			for (Prepared prepared : chunk) {
				tasks.add(() -> List.of(prepared.problem() != null ? prepared.problem() : importOrPlan(prepared, true, actor)));
			}
		}
		else {
			int slices = pool == null ? 1 : Math.min(chunk.size(), Math.max(1, this.properties.workers()));
			for (int i = 0; i < slices; i++) {
				List<Prepared> slice = List.copyOf(chunk.subList(i * chunk.size() / slices, (i + 1) * chunk.size() / slices));
				tasks.add(() -> importSlice(slice, actor));
			}
		}
		List<Future<List<Object>>> results = new ArrayList<>();
		for (Callable<List<Object>> task : tasks) {
			if (pool == null) {
				FutureTask<List<Object>> now = new FutureTask<>(task);
				now.run();
				results.add(now);
			}
			else {
				results.add(pool.submit(task));
			}
		}
		RuntimeException failed = null;
		for (Future<List<Object>> result : results) {
			try {
				for (Object one : result.get()) {
					switch (one) {
						case Problem problem -> tally.problem(problem.line(), problem.kind(), problem.message());
						case Outcome outcome -> {
							switch (outcome) {
								case CREATED -> tally.created++;
								case MERGED -> tally.merged++;
								case UPDATED -> tally.updated++;
								case UNCHANGED -> tally.unchanged++;
							}
						}
						default -> throw new IllegalStateException();
					}
				}
			}
			catch (ExecutionException ex) {
				if (failed == null) {
					failed = ex.getCause() instanceof RuntimeException runtime ? runtime
							: new IllegalStateException(ex.getCause());
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Import interrupted", ex);
			}
		}
		chunk.clear();
		if (failed != null) {
			throw failed; // e.g. the database went away: what committed stays, the next run resumes
		}
		if (!tally.dryRun) {
			this.tx.executeWithoutResult(
					status -> this.people.checkpoint(sourceSha256, lineNumber, this.clock.instant(), false));
		}
	}

	/**
	 * Imports a slice of a chunk, in file order of its results. The people none of whose keys, old id or subs
	 * the database knows yet (a move-in's usual case) are found with a few batched look-ups and created together
	 * in one transaction, through {@link AccountService#createImportedAll}; every other line (an old user seen
	 * before, a key some account holds, a sub taken) goes through {@link #importOrPlan} on its own, by the same
	 * rules. When a sign-in takes one of the new people's keys meanwhile, the batch rolls back whole and its lines
	 * are imported one by one instead.
	 */
	private List<Object> importSlice(List<Prepared> slice, String actor) {
		Object[] results = new Object[slice.size()];
		List<Integer> fresh = freshLines(slice, results);
		if (!fresh.isEmpty()) {
			try {
				this.tx.executeWithoutResult(status -> createTogether(fresh.stream().map(slice::get).toList(), actor));
				for (int i : fresh) {
					results[i] = Outcome.CREATED;
					slice.get(i).record().subs().keySet().forEach(this.subjects::subsAdded); // committed
				}
			}
			catch (DuplicateKeyException raced) {
				// nothing of the batch was written: each line on its own, which plans again
			}
		}
		for (int i = 0; i < slice.size(); i++) {
			if (results[i] == null) {
				Prepared prepared = slice.get(i);
				results[i] = prepared.problem() != null ? prepared.problem() : importOrPlan(prepared, false, actor);
			}
		}
		return java.util.Arrays.asList(results);
	}

	/** The lines of the slice that make new people: nothing of theirs is in the database (batched look-ups). */
	private List<Integer> freshLines(List<Prepared> slice, Object[] results) {
		List<Integer> candidates = new ArrayList<>();
		for (int i = 0; i < slice.size(); i++) {
			if (slice.get(i).problem() == null) {
				candidates.add(i);
			}
		}
		if (candidates.isEmpty()) {
			return List.of();
		}
		List<UserRecord> records = candidates.stream().map(i -> slice.get(i).record()).toList();
		Set<String> known = this.people.knownOldIds(records.stream().map(UserRecord::id).toList());
		Set<IdentityKey> allKeys = new LinkedHashSet<>();
		Map<String, Set<String>> subsByClient = new java.util.TreeMap<>();
		Set<String> subValues = new LinkedHashSet<>();
		for (UserRecord record : records) {
			allKeys.addAll(keysOf(record));
			record.subs().forEach((client, sub) -> {
				subsByClient.computeIfAbsent(client, c -> new LinkedHashSet<>()).add(sub);
				subValues.add(sub);
			});
		}
		Map<IdentityKey, String> owners = this.accounts.usersFor(allKeys);
		Map<String, Set<String>> taken = new HashMap<>();
		subsByClient.forEach((client, subs) -> taken.put(client, this.people.takenSubjects(client, subs)));
		Set<String> accountIds = subValues.isEmpty() ? Set.of() : this.accounts.existingAccounts(subValues);
		List<Integer> fresh = new ArrayList<>();
		for (int i : candidates) {
			UserRecord record = slice.get(i).record();
			boolean isFresh = !known.contains(record.id())
					&& keysOf(record).stream().noneMatch(owners::containsKey)
					&& record.subs().entrySet().stream().noneMatch(
							sub -> taken.get(sub.getKey()).contains(sub.getValue()) || accountIds.contains(sub.getValue()));
			if (isFresh) {
				fresh.add(i);
			}
		}
		return fresh;
	}

	/** New people, created together: accounts, the import records and subs, an audit entry each. */
	private void createTogether(List<Prepared> lines, String actor) {
		this.people.commitWithoutWaitingForDisk();
		Instant now = this.clock.instant();
		List<AccountService.ImportedAccount> accounts = lines.stream()
			.map(p -> new AccountService.ImportedAccount(List.copyOf(keysOf(p.record())),
					new ExternalIdentity.Profile(p.record().name(), p.record().avatar(), null),
					Objects.requireNonNullElse(p.record().createdAt(), now), p.record().lastLoginAt()))
			.toList();
		List<String> ids = this.accounts.createImportedAll(accounts, METHOD);
		List<ImportedPeople.NewImported> imported = new ArrayList<>();
		for (int i = 0; i < lines.size(); i++) {
			UserRecord record = lines.get(i).record();
			imported.add(new ImportedPeople.NewImported(record.id(), ids.get(i), lines.get(i).sha256(),
					Outcome.CREATED.code, record.consent(), new java.util.TreeMap<>(record.subs())));
		}
		this.people.saveAll(imported, now);
		for (int i = 0; i < lines.size(); i++) {
			this.audit.record(AuditEntry.of(AuditTypes.ACCOUNT_IMPORTED)
				.actor(actor)
				.subject(ids.get(i))
				.detail("outcome", Outcome.CREATED.code)
				.detail("line", lines.get(i).line())
				.detail("subs", (long) lines.get(i).record().subs().size()));
		}
	}

	/**
	 * The record's keys, as sign-in resolves them: each WeChat identity's UnionID before its openid, then the
	 * verified phones, then the other logins.
	 */
	private static List<List<IdentityKey>> keyGroups(UserRecord record) {
		List<List<IdentityKey>> groups = new ArrayList<>();
		for (UserRecord.Wechat wechat : record.wechat()) {
			List<IdentityKey> group = new ArrayList<>();
			if (wechat.unionid() != null) {
				group.add(new IdentityKey(Namespaces.WECHAT_UNION, wechat.unionid()));
			}
			if (wechat.appid() != null) {
				group.add(new IdentityKey(Namespaces.WECHAT_OPEN, wechat.appid() + ":" + wechat.openid()));
			}
			groups.add(group);
		}
		record.phones().stream()
			.filter(UserRecord.Phone::verified)
			.forEach(p -> groups.add(List.of(new IdentityKey(Namespaces.PHONE, p.number()))));
		record.logins().forEach(l -> groups.add(List.of(new IdentityKey(l.provider(), l.key()))));
		return groups;
	}

	private static Set<IdentityKey> keysOf(UserRecord record) {
		Set<IdentityKey> keys = new LinkedHashSet<>();
		keyGroups(record).forEach(keys::addAll);
		return keys;
	}

	/** @return the {@link Outcome}, or the {@link Problem} when the record conflicts with the database */
	private Object importOrPlan(Prepared prepared, boolean dryRun, String actor) {
		try {
			if (dryRun) {
				return plan(prepared.record(), prepared.sha256()).outcome();
			}
			Outcome outcome;
			try {
				outcome = this.tx.execute(status -> apply(prepared.record(), prepared.sha256(), prepared.line(), actor));
			}
			catch (DuplicateKeyException raced) {
				// someone signed in with one of the keys at this moment: it is there now, plan again
				outcome = this.tx.execute(status -> apply(prepared.record(), prepared.sha256(), prepared.line(), actor));
			}
			prepared.record().subs().keySet().forEach(this.subjects::subsAdded); // committed: this node's tokens know
			return outcome;
		}
		catch (ConflictException conflict) {
			return new Problem(prepared.line(), Kind.CONFLICT, conflict.getMessage());
		}
	}

	/** The record's subs, with the old id for the clients configured to keep it ({@code old-id-as-sub}). */
	private UserRecord withOldIdSubs(UserRecord record) {
		if (this.properties.oldIdAsSub().isEmpty()) {
			return record;
		}
		Map<String, String> subs = new LinkedHashMap<>(record.subs());
		this.properties.oldIdAsSub().forEach(client -> subs.putIfAbsent(client, record.id()));
		return new UserRecord(record.id(), record.name(), record.avatar(), record.wechat(), record.phones(),
				record.logins(), record.createdAt(), record.lastLoginAt(), record.consent(), subs);
	}

	/** What importing the record would do, decided against the database (and, in a dry run, earlier lines). */
	private record Plan(Outcome outcome, String target, List<IdentityKey> keys, List<String> absorbed,
			Map<String, String> newSubs) {
	}

	private Outcome apply(UserRecord record, String sha, long lineNumber, String actor) {
		this.people.commitWithoutWaitingForDisk();
		Plan plan = plan(record, sha);
		Instant now = this.clock.instant();
		String accountId = plan.target();
		if (plan.outcome() == Outcome.CREATED) {
			accountId = this.accounts.createImported(plan.keys(),
					new ExternalIdentity.Profile(record.name(), record.avatar(), null),
					Objects.requireNonNullElse(record.createdAt(), now), record.lastLoginAt(), METHOD);
		}
		else if (plan.outcome() != Outcome.UNCHANGED) {
			for (String weaker : plan.absorbed()) {
				this.accounts.merge(accountId, weaker, METHOD);
			}
			for (IdentityKey key : plan.keys()) {
				if (this.accounts.link(accountId, key, METHOD) == AccountService.LinkResult.CONFLICT) {
					throw new ConflictException(describe(key) + " was taken by another account during the import");
				}
			}
		}
		if (plan.outcome() != Outcome.UNCHANGED) {
			String target = accountId;
			plan.newSubs().forEach((client, sub) -> this.people.addSubject(target, client, sub));
			this.people.save(record.id(), accountId, sha, plan.outcome().code, record.consent(), now,
					plan.outcome() == Outcome.UPDATED);
			this.audit.record(AuditEntry.of(AuditTypes.ACCOUNT_IMPORTED)
				.actor(actor)
				.subject(accountId)
				.detail("outcome", plan.outcome().code)
				.detail("line", lineNumber)
				.detail("subs", (long) plan.newSubs().size()));
		}
		return plan.outcome();
	}

	private Plan plan(UserRecord record, String sha) {
		Optional<ImportedPeople.Imported> before = this.people.byOldId(record.id());
		String mapped = null;
		if (before.isPresent()) {
			if (before.get().oldId() == null) {
				return new Plan(Outcome.UNCHANGED, before.get().accountId(), List.of(), List.of(), Map.of());
			}
			mapped = before.get().accountId();
			if (before.get().recordSha256().equals(sha)
					&& this.accounts.status(mapped).filter(s -> s == AccountStatus.ACTIVE).isPresent()) {
				return new Plan(Outcome.UNCHANGED, mapped, List.of(), List.of(), Map.of());
			}
			if (this.accounts.status(mapped).filter(s -> s == AccountStatus.ACTIVE).isEmpty()) {
				throw new ConflictException("the account this old user became is no longer active (merged or erased)");
			}
		}
		// the keys, strongest first within each WeChat identity, as sign-in resolves them
		List<List<IdentityKey>> groups = keyGroups(record);
		Map<IdentityKey, String> owners = new HashMap<>();
		Set<IdentityKey> keys = new LinkedHashSet<>();
		groups.forEach(keys::addAll);
		for (IdentityKey key : keys) {
			Optional<String> owner = this.accounts.userFor(key);
			if (owner.isPresent()) {
				owners.put(key, owner.get());
				Optional<ImportedPeople.Imported> other = this.people.byAccount(owner.get());
				if (other.isPresent() && !other.get().oldId().equals(record.id())) {
					throw new ConflictException(describe(key) + " belongs to an account imported for another old user");
				}
			}
		}
		// within one WeChat identity the strongest key's account absorbs the others (sign-in's rule)
		Map<String, String> absorbedInto = new LinkedHashMap<>();
		Set<String> survivors = new LinkedHashSet<>();
		for (List<IdentityKey> group : groups) {
			String survivor = null;
			for (IdentityKey key : group) {
				String owner = owners.get(key);
				if (owner == null) {
					continue;
				}
				if (survivor == null) {
					survivor = owner;
				}
				else if (!owner.equals(survivor)) {
					absorbedInto.put(owner, survivor);
				}
			}
			if (survivor != null) {
				survivors.add(survivor);
			}
		}
		Set<String> accountsFound = new LinkedHashSet<>();
		for (String survivor : survivors) {
			String s = survivor;
			while (absorbedInto.containsKey(s)) {
				s = absorbedInto.get(s);
			}
			accountsFound.add(s);
		}
		if (mapped != null) {
			accountsFound.remove(mapped);
			absorbedInto.keySet().remove(mapped);
			if (!accountsFound.isEmpty() || !absorbedInto.isEmpty()) {
				throw new ConflictException("the record now names logins of another account; only the person can merge "
						+ "them (by proving both)");
			}
		}
		else if (accountsFound.size() > 1) {
			throw new ConflictException("its logins belong to " + accountsFound.size()
					+ " different accounts here; only the person can merge them (by proving both)");
		}
		String target = mapped != null ? mapped : accountsFound.stream().findFirst().orElse(null);
		Map<String, String> newSubs = new LinkedHashMap<>();
		for (Map.Entry<String, String> sub : new java.util.TreeMap<>(record.subs()).entrySet()) {
			String client = sub.getKey();
			Optional<String> holder = this.people.accountFor(client, sub.getValue());
			if (holder.isPresent() && !holder.get().equals(target)) {
				throw new ConflictException("subs." + client + " is already another person's sub at that client");
			}
			if (!sub.getValue().equals(target) && this.accounts.status(sub.getValue()).isPresent()) {
				throw new ConflictException("subs." + client + " is another account's id, which is its sub everywhere");
			}
			if (target != null) {
				Optional<String> known = this.people.subject(target, client);
				if (known.isPresent() && !known.get().equals(sub.getValue())) {
					throw new ConflictException("subs." + client + " differs from the sub that client already has for "
							+ "this person (a client's sub never changes)");
				}
				if (known.isPresent()) {
					continue;
				}
			}
			newSubs.put(client, sub.getValue());
		}
		if (target == null) {
			return new Plan(Outcome.CREATED, null, List.copyOf(keys), List.of(), newSubs);
		}
		List<IdentityKey> missing = keys.stream().filter(k -> !target.equals(owners.get(k))).toList();
		return new Plan(mapped != null ? Outcome.UPDATED : Outcome.MERGED, target, missing,
				List.copyOf(absorbedInto.keySet()), newSubs);
	}

	/** Which key, by kind: never its value (a phone number, an openid) in a report or a log. */
	private static String describe(IdentityKey key) {
		return switch (key.provider()) {
			case Namespaces.WECHAT_UNION -> "its WeChat UnionID";
			case Namespaces.WECHAT_OPEN -> "its WeChat openid at " + key.key().substring(0, key.key().indexOf(':'));
			case Namespaces.PHONE -> "its phone number " + maskPhone(key.key());
			default -> "its " + key.provider() + " login";
		};
	}

	private static String maskPhone(String e164) {
		return e164.length() < 8 ? "****" : e164.substring(0, e164.length() - 8) + "****" + e164.substring(e164.length() - 4);
	}

	static String sha256(String text) {
		return HexFormat.of().formatHex(digest().digest(text.getBytes(StandardCharsets.UTF_8)));
	}

	static MessageDigest digest() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * What earlier lines of the file claim: every old id, key and sub, as 64-bit digests in open addressing
	 * (a million lines take some 100 MB, not the gigabyte boxed maps would).
	 */
	static final class FileIndex {

		private long[] claims = new long[1 << 16];

		private int[] lines = new int[1 << 16];

		private int size;

		/**
		 * Claims the record's id, keys and subs for its line.
		 * @return why it conflicts with an earlier line (nothing of it is then claimed), or empty
		 */
		Optional<String> claim(UserRecord record, long line) {
			Map<Long, String> wanted = new LinkedHashMap<>();
			wanted.put(digest64("id", record.id()), "id repeats the old user of line %d (one line per person)");
			for (UserRecord.Wechat w : record.wechat()) {
				if (w.unionid() != null) {
					wanted.put(digest64(Namespaces.WECHAT_UNION, w.unionid()),
							"its WeChat UnionID is also claimed by the old user of line %d");
				}
				if (w.appid() != null) {
					wanted.put(digest64(Namespaces.WECHAT_OPEN, w.appid() + ":" + w.openid()),
							"its WeChat openid at " + w.appid() + " is also claimed by the old user of line %d");
				}
			}
			record.phones().stream().filter(UserRecord.Phone::verified).forEach(p -> wanted.put(
					digest64(Namespaces.PHONE, p.number()),
					"its phone number " + maskPhone(p.number()) + " is also claimed by the old user of line %d"));
			record.logins().forEach(l -> wanted.put(digest64(l.provider(), l.key()),
					"its " + l.provider() + " login is also claimed by the old user of line %d"));
			new java.util.TreeMap<>(record.subs()).forEach((client, sub) -> wanted.put(digest64("sub:" + client, sub),
					"subs." + client + " is also the sub of the old user of line %d"));
			for (Map.Entry<Long, String> claim : wanted.entrySet()) {
				int earlier = find(claim.getKey());
				if (earlier > 0) {
					return Optional.of(claim.getValue().formatted(earlier));
				}
			}
			wanted.keySet().forEach(claim -> put(claim, (int) line));
			return Optional.empty();
		}

		private int slot(long claim, long[] table) {
			int mask = table.length - 1;
			int slot = (int) (claim ^ (claim >>> 32)) & mask;
			while (table[slot] != 0 && table[slot] != claim) {
				slot = (slot + 1) & mask;
			}
			return slot;
		}

		/** @return the line that claimed it, or 0 */
		private int find(long claim) {
			int slot = slot(claim, this.claims);
			return this.claims[slot] == claim ? this.lines[slot] : 0;
		}

		private void put(long claim, int line) {
			if ((this.size + 1) * 2 > this.claims.length) {
				long[] oldClaims = this.claims;
				int[] oldLines = this.lines;
				this.claims = new long[oldClaims.length * 2];
				this.lines = new int[oldLines.length * 2];
				for (int i = 0; i < oldClaims.length; i++) {
					if (oldClaims[i] != 0) {
						int slot = slot(oldClaims[i], this.claims);
						this.claims[slot] = oldClaims[i];
						this.lines[slot] = oldLines[i];
					}
				}
			}
			int slot = slot(claim, this.claims);
			if (this.claims[slot] == 0) {
				this.size++;
			}
			this.claims[slot] = claim;
			this.lines[slot] = line;
		}

		/** Never 0, the empty slot's mark. */
		private static long digest64(String namespace, String value) {
			byte[] hash = digest().digest((namespace + "\u0000" + value).getBytes(StandardCharsets.UTF_8));
			long bits = 0;
			for (int i = 0; i < 8; i++) {
				bits = (bits << 8) | (hash[i] & 0xff);
			}
			return bits == 0 ? 1 : bits;
		}

	}

}
