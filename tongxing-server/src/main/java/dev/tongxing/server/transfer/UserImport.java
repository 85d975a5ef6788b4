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
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code import users}: people from another system, one JSON Lines record each, become accounts by the same
 * one-account-per-person rules as sign-in, through {@link AccountService}. Each record is one transaction (with
 * its audit entry and, every {@value #CHECKPOINT_EVERY} lines, the run's checkpoint), so a crash loses nothing
 * and the next run resumes after the last checkpoint; a record already imported unchanged changes nothing.
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

	UserImport(AccountService accounts, ImportedPeople people, MobileNumbers phones, RegisteredClientRepository clients,
			AuditLog audit, TransactionTemplate tx, Clock clock, TransferProperties properties) {
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
		if (!dryRun && resumeAfter > 0 && finished(sourceSha256)) {
			resumeAfter = 0; // a finished run is checked again in full: conflicts may have been resolved since
		}
		FileIndex index = new FileIndex(dryRun);
		Set<String> clientsKnown = new HashSet<>();
		long lineNumber = 0;
		try (BufferedReader reader = lines.get()) {
			String line;
			while ((line = reader.readLine()) != null) {
				lineNumber++;
				if (line.isBlank()) {
					continue;
				}
				tally.read++;
				if (lineNumber <= resumeAfter) {
					tally.resumed++;
					continue;
				}
				line(lineNumber, line, tally, index, clientsKnown, sourceSha256, actor);
				if (tally.read % 1000 == 0) {
					progress.accept(tally.report());
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
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

	private boolean finished(String sourceSha256) {
		return this.people.finished(sourceSha256);
	}

	private void line(long lineNumber, String line, Tally tally, FileIndex index, Set<String> clientsKnown,
			String sourceSha256, String actor) {
		UserRecordFormat.Parsed parsed = this.format.parse(line);
		if (!parsed.valid()) {
			tally.problem(lineNumber, Kind.INVALID, String.join("; ", parsed.errors()));
			checkpointAlone(tally, lineNumber, sourceSha256);
			return;
		}
		UserRecord record = withOldIdSubs(parsed.record());
		tally.unverifiedPhones += record.phones().stream().filter(p -> !p.verified()).count();
		Optional<Long> firstSeen = index.firstLineOf(record.id(), lineNumber);
		if (firstSeen.isPresent()) {
			tally.problem(lineNumber, Kind.CONFLICT, "id repeats the old user of line " + firstSeen.get()
					+ " (one line per person)");
			checkpointAlone(tally, lineNumber, sourceSha256);
			return;
		}
		for (String client : record.subs().keySet()) {
			if (!clientsKnown.contains(client)) {
				if (this.clients.findByClientId(client) == null) {
					tally.problem(lineNumber, Kind.CONFLICT, "subs names client \"" + client
							+ "\", which is not registered here (register it first, or leave it out)");
					checkpointAlone(tally, lineNumber, sourceSha256);
					return;
				}
				clientsKnown.add(client);
			}
		}
		String sha = sha256(this.format.write(record));
		Outcome outcome;
		try {
			if (tally.dryRun) {
				outcome = plan(record, sha, index, lineNumber).outcome();
				index.claim(record, lineNumber);
			}
			else {
				outcome = importOnce(record, sha, lineNumber, tally, sourceSha256, actor);
			}
		}
		catch (ConflictException conflict) {
			tally.problem(lineNumber, Kind.CONFLICT, conflict.getMessage());
			checkpointAlone(tally, lineNumber, sourceSha256);
			return;
		}
		switch (outcome) {
			case CREATED -> tally.created++;
			case MERGED -> tally.merged++;
			case UPDATED -> tally.updated++;
			case UNCHANGED -> tally.unchanged++;
		}
	}

	private Outcome importOnce(UserRecord record, String sha, long lineNumber, Tally tally, String sourceSha256,
			String actor) {
		try {
			return this.tx.execute(status -> apply(record, sha, lineNumber, sourceSha256, actor));
		}
		catch (DuplicateKeyException raced) {
			// someone signed in with one of the keys at this moment: it is there now, plan again
			return this.tx.execute(status -> apply(record, sha, lineNumber, sourceSha256, actor));
		}
	}

	private void checkpointAlone(Tally tally, long lineNumber, String sourceSha256) {
		if (!tally.dryRun && lineNumber % CHECKPOINT_EVERY == 0) {
			this.tx.executeWithoutResult(
					status -> this.people.checkpoint(sourceSha256, lineNumber, this.clock.instant(), false));
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

	private Outcome apply(UserRecord record, String sha, long lineNumber, String sourceSha256, String actor) {
		Plan plan = plan(record, sha, FileIndex.NONE, lineNumber);
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
		if (lineNumber % CHECKPOINT_EVERY == 0) {
			this.people.checkpoint(sourceSha256, lineNumber, now, false);
		}
		return plan.outcome();
	}

	private Plan plan(UserRecord record, String sha, FileIndex index, long lineNumber) {
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
		Map<IdentityKey, String> owners = new HashMap<>();
		Set<IdentityKey> keys = new LinkedHashSet<>();
		groups.forEach(keys::addAll);
		for (IdentityKey key : keys) {
			index.claimedBy(key, record.id()).ifPresent(line -> {
				throw new ConflictException(describe(key) + " is also claimed by the old user of line " + line);
			});
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
			index.subClaimedBy(client, sub.getValue(), record.id()).ifPresent(line -> {
				throw new ConflictException("subs." + client + " is also the sub of the old user of line " + line);
			});
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
	 * What earlier lines of the file claim: every old id (a repeated one is a conflict), and in a dry run, where
	 * nothing is written for the database to tell, every key and sub. 64-bit digests keep a million lines small.
	 */
	static final class FileIndex {

		/** A real run's: the database itself tells what earlier lines made. */
		static final FileIndex NONE = new FileIndex(false);

		private final boolean keysToo;

		private final Map<Long, Long> oldIds = new HashMap<>();

		private final Map<Long, Long> keys = new HashMap<>();

		/** Who owns a claim, so that one old user's own claims are not a conflict with themselves. */
		private final Map<Long, Long> owners = new HashMap<>();

		FileIndex(boolean keysToo) {
			this.keysToo = keysToo;
		}

		/** @return the line the old id was first on, when it is not this one */
		Optional<Long> firstLineOf(String oldId, long line) {
			Long first = this.oldIds.putIfAbsent(digest64("id", oldId), line);
			return first == null || first == line ? Optional.empty() : Optional.of(first);
		}

		Optional<Long> claimedBy(IdentityKey key, String oldId) {
			return claimed(digest64(key.provider(), key.key()), oldId);
		}

		Optional<Long> subClaimedBy(String client, String sub, String oldId) {
			return claimed(digest64("sub:" + client, sub), oldId);
		}

		private Optional<Long> claimed(long claim, String oldId) {
			Long line = this.keys.get(claim);
			if (line == null || Objects.equals(this.owners.get(claim), digest64("id", oldId))) {
				return Optional.empty();
			}
			return Optional.of(line);
		}

		void claim(UserRecord record, long line) {
			if (!this.keysToo) {
				return;
			}
			long owner = digest64("id", record.id());
			List<Long> claims = new ArrayList<>();
			for (UserRecord.Wechat w : record.wechat()) {
				if (w.unionid() != null) {
					claims.add(digest64(Namespaces.WECHAT_UNION, w.unionid()));
				}
				if (w.appid() != null) {
					claims.add(digest64(Namespaces.WECHAT_OPEN, w.appid() + ":" + w.openid()));
				}
			}
			record.phones().stream().filter(UserRecord.Phone::verified)
				.forEach(p -> claims.add(digest64(Namespaces.PHONE, p.number())));
			record.logins().forEach(l -> claims.add(digest64(l.provider(), l.key())));
			record.subs().forEach((client, sub) -> claims.add(digest64("sub:" + client, sub)));
			for (Long claim : claims) {
				if (this.keys.putIfAbsent(claim, line) == null) {
					this.owners.put(claim, owner);
				}
			}
		}

		private static long digest64(String namespace, String value) {
			byte[] hash = digest().digest((namespace + "\u0000" + value).getBytes(StandardCharsets.UTF_8));
			long bits = 0;
			for (int i = 0; i < 8; i++) {
				bits = (bits << 8) | (hash[i] & 0xff);
			}
			return bits;
		}

	}

}
