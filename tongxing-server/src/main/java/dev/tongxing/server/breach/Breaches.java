package dev.tongxing.server.breach;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.audit.AuditTrail;
import dev.tongxing.server.audit.AuditTypes;
import dev.tongxing.server.minors.Minors;
import dev.tongxing.server.privacy.PersonalDataCatalog;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Personal-data incidents (PIPL Art. 57): recording one, selecting the people it touched from the audit trail
 * (a preview, then a frozen selection), starting the notices, recording reports to a regulator. Every change is
 * an audit entry with the operator as actor, in the change's transaction.
 */
@Component
public class Breaches {

	/** People selected per page of the audit trail; each page is written before the next is read. */
	static final int PAGE = 500;

	static final int MAX_CRITERIA = 50;

	private static final Pattern EVENT_TYPE = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+");

	private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:~-]{1,100}");

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final String ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

	/** The audit entries about incidents themselves never select anyone. */
	static final List<String> OWN_TYPES = List.of("breach.");

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	private final AuditLog audit;

	private final AuditTrail trail;

	private final AccountService accounts;

	private final PersonalDataCatalog catalog;

	private final BreachProperties properties;

	private final Clock clock;

	private final Minors minors;

	Breaches(JdbcClient jdbc, TransactionTemplate transaction, AuditLog audit, AuditTrail trail,
			AccountService accounts, PersonalDataCatalog catalog, BreachProperties properties, Clock clock,
			Minors minors) {
		this.minors = minors;
		this.jdbc = jdbc;
		this.transaction = transaction;
		this.audit = audit;
		this.trail = trail;
		this.accounts = accounts;
		this.catalog = catalog;
		this.properties = properties;
		this.clock = clock;
	}

	/** The catalogue items an incident may name, for forms. */
	public List<PersonalDataCatalog.Item> categories() {
		return this.catalog.items();
	}

	/** The audit entry types a selection by this catalogue item looks for (empty: none show it). */
	public List<String> eventTypesOf(String category) {
		return this.properties.categoryEvents().getOrDefault(category, List.of());
	}

	// recording

	public Breach record(BreachDraft draft, String operator) {
		List<BreachException.Problem> problems = draft.problems(id -> this.catalog.item(id).isPresent(),
				this.clock.instant());
		if (!problems.isEmpty()) {
			throw BreachException.invalid(problems);
		}
		BreachDraft d = draft.tidy();
		String id = newId();
		Instant now = this.clock.instant();
		this.transaction.executeWithoutResult(tx -> {
			this.jdbc.sql("""
					INSERT INTO breach_record (id, discovered_at, occurred_from, occurred_to, categories,
					description_zh, description_en, cause_zh, cause_en, harm_zh, harm_en, measures_zh, measures_en,
					remedies_zh, remedies_en, contact, status, recorded_at, recorded_by)
					VALUES (:id, :discovered, :from, :to, :categories, :dzh, :den, :czh, :cen, :hzh, :hen, :mzh, :men,
					:rzh, :ren, :contact, 'recorded', :now, :by)""")
				.param("id", id)
				.params(columns(d))
				.param("now", utc(now))
				.param("by", operator)
				.update();
			this.audit.record(AuditEntry.of(AuditTypes.BREACH_RECORDED)
				.actor(actor(operator))
				.detail("breach", id)
				.detail("categories", String.join(",", d.categories()))
				.detail("discoveredAt", AuditEntry.time(d.discoveredAt())));
		});
		return find(id).orElseThrow();
	}

	/**
	 * Corrects what was recorded while nobody has been told yet: once the notices went out, what people read is the
	 * record, and a correction is a new notice, not an edit. Audited with the names of the fields that changed.
	 */
	public Breach amend(String id, BreachDraft draft, String operator) {
		List<BreachException.Problem> problems = draft.problems(item -> this.catalog.item(item).isPresent(),
				this.clock.instant());
		if (!problems.isEmpty()) {
			throw BreachException.invalid(problems);
		}
		BreachDraft d = draft.tidy();
		this.transaction.executeWithoutResult(tx -> {
			Breach before = locked(id);
			if (before.status() == Breach.Status.NOTIFYING) {
				throw BreachException.conflict("notices-started");
			}
			List<String> changed = new ArrayList<>();
			compare(changed, "discoveredAt", before.discoveredAt(), d.discoveredAt());
			compare(changed, "occurredFrom", before.occurredFrom(), d.occurredFrom());
			compare(changed, "occurredTo", before.occurredTo(), d.occurredTo());
			compare(changed, "categories", before.categories(), d.categories());
			compare(changed, "description", before.description(), d.description());
			compare(changed, "cause", before.cause(), d.cause());
			compare(changed, "harm", before.harm(), d.harm());
			compare(changed, "measures", before.measures(), d.measures());
			compare(changed, "remedies", before.remedies(), d.remedies());
			compare(changed, "contact", before.contact(), d.contact());
			if (changed.isEmpty()) {
				return;
			}
			this.jdbc.sql("""
					UPDATE breach_record SET discovered_at = :discovered, occurred_from = :from, occurred_to = :to,
					categories = :categories, description_zh = :dzh, description_en = :den, cause_zh = :czh,
					cause_en = :cen, harm_zh = :hzh, harm_en = :hen, measures_zh = :mzh, measures_en = :men,
					remedies_zh = :rzh, remedies_en = :ren, contact = :contact WHERE id = :id""")
				.params(columns(d))
				.param("id", id)
				.update();
			this.audit.record(AuditEntry.of(AuditTypes.BREACH_AMENDED)
				.actor(actor(operator))
				.detail("breach", id)
				.detail("fields", String.join(",", changed)));
		});
		return find(id).orElseThrow();
	}

	/** The draft's values under the names both the insert and the correction use. */
	private static Map<String, Object> columns(BreachDraft d) {
		Map<String, Object> values = new LinkedHashMap<>();
		values.put("discovered", utc(d.discoveredAt()));
		values.put("from", utc(d.occurredFrom()));
		values.put("to", utc(d.occurredTo()));
		values.put("categories", String.join(",", d.categories()));
		values.put("dzh", d.description().zh());
		values.put("den", d.description().en());
		values.put("czh", d.cause().zh());
		values.put("cen", d.cause().en());
		values.put("hzh", d.harm().zh());
		values.put("hen", d.harm().en());
		values.put("mzh", d.measures().zh());
		values.put("men", d.measures().en());
		values.put("rzh", d.remedies().zh());
		values.put("ren", d.remedies().en());
		values.put("contact", d.contact());
		return values;
	}

	private static void compare(List<String> changed, String field, Object before, Object after) {
		if (!java.util.Objects.equals(before, after)) {
			changed.add(field);
		}
	}

	public List<Breach> list() {
		return this.jdbc.sql("SELECT * FROM breach_record ORDER BY discovered_at DESC, id").query(this::map).list();
	}

	public Optional<Breach> find(String id) {
		if (id == null || id.length() > 40) {
			return Optional.empty();
		}
		return this.jdbc.sql("SELECT * FROM breach_record WHERE id = :id").param("id", id).query(this::map).optional();
	}

	Breach known(String id) {
		return find(id).orElseThrow(BreachException::notFound);
	}

	// selecting

	/** How many people the criteria select (nothing is written). */
	public long preview(String id, Breach.Selection selection) {
		Breach breach = known(id);
		if (breach.status() == Breach.Status.SELECTED || breach.status() == Breach.Status.NOTIFYING) {
			throw BreachException.conflict("selection-frozen");
		}
		return this.trail.countSubjects(query(checked(selection)));
	}

	/**
	 * Selects the people and freezes the selection. The criteria are written first; a selection interrupted
	 * (a crash, a restart) is finished by confirming again, with the same criteria or none: people already
	 * selected stay, none is added twice.
	 * @param selection the criteria, or null to finish a selection begun
	 * @return how many people are selected
	 */
	public int select(String id, Breach.Selection selection, String operator) {
		Breach.Selection criteria = this.transaction.execute(tx -> {
			Breach breach = locked(id);
			switch (breach.status()) {
				case RECORDED -> {
					if (selection == null) {
						throw BreachException.invalid(List.of(new BreachException.Problem("from", "window")));
					}
					Breach.Selection checked = checked(selection);
					this.jdbc.sql("""
							UPDATE breach_record SET status = 'selecting', selection_from = :from, selection_to = :to,
							selection_types = :types, selection_clients = :clients, selection_categories = :categories,
							selection_started_at = :now WHERE id = :id""")
						.param("from", utc(checked.from()))
						.param("to", utc(checked.to()))
						.param("types", String.join(",", checked.eventTypes()))
						.param("clients", String.join(",", checked.clientIds()))
						.param("categories", String.join(",", checked.categories()))
						.param("now", utc(this.clock.instant()))
						.param("id", id)
						.update();
					this.audit.record(criteria(AuditEntry.of(AuditTypes.BREACH_SELECTED), checked)
						.actor(actor(operator))
						.detail("breach", id)
						.detail("phase", "begun"));
					return checked;
				}
				case SELECTING -> {
					if (selection != null && !checked(selection).equals(breach.selection())) {
						throw BreachException.conflict("selection-other-criteria");
					}
					return breach.selection();
				}
				default -> throw BreachException.conflict("selection-frozen");
			}
		});
		AuditTrail.SubjectQuery query = query(criteria);
		// resumes after the last person written: pages are written in the audit trail's subject order
		String after = this.jdbc.sql("SELECT MAX(account_id) FROM breach_person WHERE breach_id = :id")
			.param("id", id)
			.query(String.class)
			.optional()
			.orElse(null);
		while (true) {
			List<AuditTrail.SubjectMatch> page = this.trail.subjects(query, after, PAGE);
			for (AuditTrail.SubjectMatch match : page) {
				if (this.accounts.status(match.subject()).isPresent()) {
					insertPerson(id, match);
				}
			}
			if (page.size() < PAGE) {
				break;
			}
			after = page.get(page.size() - 1).subject();
		}
		return this.transaction.execute(tx -> {
			Breach breach = locked(id);
			int count = count(id);
			if (breach.status() == Breach.Status.SELECTING) {
				this.jdbc.sql("""
						UPDATE breach_record SET status = 'selected', selected_at = :now, selected_by = :by
						WHERE id = :id""")
					.param("now", utc(this.clock.instant()))
					.param("by", operator)
					.param("id", id)
					.update();
				this.audit.record(criteria(AuditEntry.of(AuditTypes.BREACH_SELECTED), criteria)
					.actor(actor(operator))
					.detail("breach", id)
					.detail("phase", "frozen")
					.detail("people", count)
					.detail("minors", minors(id)));
			}
			return count;
		});
	}

	private void insertPerson(String id, AuditTrail.SubjectMatch match) {
		String reason = ("audit #" + match.seq() + " " + match.type() + " " + AuditEntry.time(match.recordedAt())
				+ (match.clientId() == null ? "" : " client " + match.clientId()));
		// 未成年人网络保护条例 Art. 35: minors and their guardians are told, so who is a minor is kept with the person
		Optional<Minors.Standing> standing = this.minors.standing(match.subject()).filter(st -> st.bracket().minor());
		try {
			this.jdbc.sql("""
					INSERT INTO breach_person (breach_id, account_id, reason, selected_at, sms_status, inapp_status,
					minor, guardian_actor)
					SELECT :id, :account, :reason, :now, 'waiting', 'waiting', :minor, :guardian FROM breach_record r
					WHERE r.id = :id
					AND NOT EXISTS (SELECT 1 FROM breach_person p WHERE p.breach_id = :id AND p.account_id = :account)""")
				.param("id", id)
				.param("account", match.subject())
				.param("reason", reason.length() > 400 ? reason.substring(0, 400) : reason)
				.param("now", utc(this.clock.instant()))
				.param("minor", standing.map(st -> st.bracket().value()).orElse(null))
				.param("guardian", standing.map(Minors.Standing::guardianActor).orElse(null))
				.update();
		}
		catch (DuplicateKeyException alreadyThere) {
			// another operator's confirmation wrote the same person at the same moment
		}
	}

	private Breach.Selection checked(Breach.Selection s) {
		List<BreachException.Problem> problems = new ArrayList<>();
		if (s == null || s.from() == null || s.to() == null || !s.from().isBefore(s.to())) {
			throw BreachException.invalid(List.of(new BreachException.Problem("from", "window")));
		}
		if (s.eventTypes().isEmpty() && s.clientIds().isEmpty() && s.categories().isEmpty()) {
			problems.add(new BreachException.Problem("eventTypes", "criteria-missing"));
		}
		if (s.eventTypes().size() > MAX_CRITERIA || s.clientIds().size() > MAX_CRITERIA
				|| s.categories().size() > MAX_CRITERIA) {
			problems.add(new BreachException.Problem("eventTypes", "criteria-many"));
		}
		if (!s.eventTypes().stream().allMatch(t -> t.length() <= 64 && EVENT_TYPE.matcher(t).matches())
				|| s.eventTypes().stream().anyMatch(t -> t.startsWith(OWN_TYPES.get(0)))) {
			problems.add(new BreachException.Problem("eventTypes", "event-type"));
		}
		if (!s.clientIds().stream().allMatch(c -> CLIENT_ID.matcher(c).matches())) {
			problems.add(new BreachException.Problem("clientIds", "client-id"));
		}
		if (!s.categories().stream().allMatch(c -> !eventTypesOf(c).isEmpty())) {
			problems.add(new BreachException.Problem("categories", "category-no-events"));
		}
		if (!problems.isEmpty()) {
			throw BreachException.invalid(problems);
		}
		return new Breach.Selection(s.from().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
				s.to().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), sortedUnique(s.eventTypes()), sortedUnique(s.clientIds()),
				sortedUnique(s.categories()));
	}

	private AuditTrail.SubjectQuery query(Breach.Selection s) {
		Set<String> types = new LinkedHashSet<>(s.eventTypes());
		s.categories().forEach(c -> types.addAll(eventTypesOf(c)));
		return new AuditTrail.SubjectQuery(s.from(), s.to(), types, s.clientIds(), OWN_TYPES);
	}

	private static AuditEntry criteria(AuditEntry entry, Breach.Selection s) {
		return entry.detail("from", AuditEntry.time(s.from()))
			.detail("to", AuditEntry.time(s.to()))
			.detail("eventTypes", String.join(",", s.eventTypes()))
			.detail("clientIds", String.join(",", s.clientIds()))
			.detail("categories", String.join(",", s.categories()));
	}

	// notices

	/**
	 * Publishes the in-app notice to everyone selected and queues their SMS; again later, queues once more the
	 * SMS a provider refused (known not sent). Never touches a notice sent, being sent or perhaps sent.
	 */
	public Counts startNotices(String id, String operator) {
		this.transaction.executeWithoutResult(tx -> {
			Breach breach = locked(id);
			if (breach.status() == Breach.Status.RECORDED || breach.status() == Breach.Status.SELECTING) {
				throw BreachException.conflict("not-selected");
			}
			Instant now = this.clock.instant();
			int inApp = this.jdbc.sql("""
					UPDATE breach_person SET inapp_status = 'published', inapp_published_at = :now
					WHERE breach_id = :id AND inapp_status = 'waiting'""")
				.param("now", utc(now))
				.param("id", id)
				.update();
			int sms = this.jdbc.sql("""
					UPDATE breach_person SET sms_status = 'pending', sms_failure = NULL
					WHERE breach_id = :id AND sms_status IN ('waiting', 'failed')""")
				.param("id", id)
				.update();
			if (breach.status() == Breach.Status.SELECTED) {
				this.jdbc.sql("""
						UPDATE breach_record SET status = 'notifying', notices_started_at = :now, notices_started_by = :by
						WHERE id = :id""")
					.param("now", utc(now))
					.param("by", operator)
					.param("id", id)
					.update();
			}
			this.audit.record(AuditEntry.of(AuditTypes.BREACH_NOTICES_STARTED)
				.actor(actor(operator))
				.detail("breach", id)
				.detail("inAppPublished", inApp)
				.detail("smsQueued", sms));
		});
		return counts(id);
	}

	/**
	 * How many people are selected and where their notices are, per channel and status; how many of them are
	 * minors, how many of those have a guardian on record, and how many guardians opened the notice.
	 */
	public record Counts(int people, Map<String, Integer> sms, Map<String, Integer> inApp, int minors, int guardians,
			int guardiansRead) {
	}

	public Counts counts(String id) {
		Map<String, Integer> sms = new LinkedHashMap<>();
		for (String s : List.of("waiting", "pending", "queued", "sending", "sent", "failed", "uncertain", "no-phone")) {
			sms.put(s, 0);
		}
		Map<String, Integer> inApp = new LinkedHashMap<>();
		for (String s : List.of("waiting", "published", "shown", "read")) {
			inApp.put(s, 0);
		}
		this.jdbc.sql("SELECT sms_status, COUNT(*) FROM breach_person WHERE breach_id = :id GROUP BY sms_status")
			.param("id", id)
			.query((rs, i) -> sms.put(rs.getString(1), rs.getInt(2)))
			.list();
		this.jdbc.sql("SELECT inapp_status, COUNT(*) FROM breach_person WHERE breach_id = :id GROUP BY inapp_status")
			.param("id", id)
			.query((rs, i) -> inApp.put(rs.getString(1), rs.getInt(2)))
			.list();
		Map<String, Object> minors = this.jdbc.sql("""
				SELECT COUNT(minor) AS minors, COUNT(guardian_actor) AS guardians, COUNT(guardian_read_at) AS guardians_read
				FROM breach_person WHERE breach_id = :id""")
			.param("id", id)
			.query()
			.singleRow();
		return new Counts(count(id), sms, inApp, number(minors, "minors"), number(minors, "guardians"),
				number(minors, "guardians_read"));
	}

	/** A column of a row read by label, whichever case the database gives labels. */
	private static int number(Map<String, Object> row, String label) {
		return row.entrySet()
			.stream()
			.filter(e -> e.getKey().equalsIgnoreCase(label))
			.map(e -> ((Number) e.getValue()).intValue())
			.findFirst()
			.orElseThrow();
	}

	private int minors(String id) {
		return this.jdbc.sql("SELECT COUNT(minor) FROM breach_person WHERE breach_id = :id")
			.param("id", id)
			.query(Integer.class)
			.single();
	}

	/** One selected person and their notices, as operators see them (an account id, never a phone number). */
	public record Person(String accountId, String reason, Instant selectedAt, String smsStatus,
			Instant smsAttemptedAt, Instant smsDeliveredAt, String smsFailure, String inAppStatus,
			Instant inAppPublishedAt, Instant inAppShownAt, Instant inAppReadAt) {
	}

	/** The selected people after {@code after} (all when null), in account order. */
	public List<Person> people(String id, String after, int limit) {
		known(id);
		return this.jdbc.sql("SELECT * FROM breach_person WHERE breach_id = :id"
				+ (after == null ? "" : " AND account_id > :after") + " ORDER BY account_id FETCH FIRST :limit ROWS ONLY")
			.param("id", id)
			.param("after", after == null ? "" : after)
			.param("limit", Math.max(1, Math.min(limit, 1000)))
			.query((rs, i) -> new Person(rs.getString("account_id"), rs.getString("reason"), time(rs, "selected_at"),
					rs.getString("sms_status"), time(rs, "sms_attempted_at"), time(rs, "sms_delivered_at"),
					rs.getString("sms_failure"), rs.getString("inapp_status"), time(rs, "inapp_published_at"),
					time(rs, "inapp_shown_at"), time(rs, "inapp_read_at")))
			.list();
	}

	// the person's side

	/** The incidents whose notice is published to one of these accounts (the person and those merged into them). */
	public List<Breach> publishedTo(Collection<String> accountIds) {
		if (accountIds.isEmpty()) {
			return List.of();
		}
		return this.jdbc.sql("""
				SELECT * FROM breach_record WHERE id IN (SELECT breach_id FROM breach_person
				WHERE account_id IN (:accounts) AND inapp_status <> 'waiting') ORDER BY discovered_at DESC, id""")
			.param("accounts", List.copyOf(accountIds))
			.query(this::map)
			.list();
	}

	/** The incidents whose notice these accounts have not opened yet; marks them shown (delivered in-app). */
	public List<Breach> unreadFor(Collection<String> accountIds) {
		if (accountIds.isEmpty()) {
			return List.of();
		}
		List<Breach> unread = this.jdbc.sql("""
				SELECT * FROM breach_record WHERE id IN (SELECT breach_id FROM breach_person
				WHERE account_id IN (:accounts) AND inapp_status IN ('published', 'shown')) ORDER BY discovered_at DESC, id""")
			.param("accounts", List.copyOf(accountIds))
			.query(this::map)
			.list();
		for (Breach breach : unread) {
			mark(breach.id(), accountIds, "shown", "inapp_shown_at", List.of("published"));
		}
		return unread;
	}

	/**
	 * The incidents whose notice is published to a child, for the dashboard of the guardian who consented for them
	 * (未成年人网络保护条例 Art. 35: guardians are told too).
	 */
	public List<Breach> publishedToChild(String childId) {
		return publishedTo(this.accounts.withMergedAccounts(childId));
	}

	/**
	 * The guardian opens the notice of an incident that touched their child: the first time is recorded (when,
	 * which guardian) with an audit entry naming the guardian as actor; the child's own notice stays unread.
	 */
	public Optional<Breach> openForGuardian(String id, String childId, String guardianActor) {
		Set<String> child = this.accounts.withMergedAccounts(childId);
		Optional<Breach> breach = find(id).filter(b -> publishedTo(child).stream().anyMatch(p -> p.id().equals(id)));
		breach.ifPresent(b -> this.transaction.executeWithoutResult(tx -> {
			int first = this.jdbc.sql("""
					UPDATE breach_person SET guardian_read_at = :now, guardian_actor = COALESCE(guardian_actor, :guardian)
					WHERE breach_id = :id AND account_id IN (:accounts) AND guardian_read_at IS NULL
					AND inapp_status <> 'waiting'""")
				.param("now", utc(this.clock.instant()))
				.param("guardian", guardianActor)
				.param("id", id)
				.param("accounts", List.copyOf(child))
				.update();
			if (first > 0) {
				this.audit.record(AuditEntry.of(AuditTypes.BREACH_NOTICE_DELIVERY)
					.actor(guardianActor)
					.subject(childId)
					.detail("breach", id)
					.detail("channel", "guardian")
					.detail("outcome", "read"));
			}
		}));
		return breach;
	}

	/** The incident's notice if it was published to one of these accounts; marks it read. */
	public Optional<Breach> open(String id, Collection<String> accountIds) {
		Optional<Breach> breach = find(id).filter(b -> publishedTo(accountIds).stream().anyMatch(p -> p.id().equals(id)));
		breach.ifPresent(b -> {
			mark(id, accountIds, "shown", "inapp_shown_at", List.of("published"));
			mark(id, accountIds, "read", "inapp_read_at", List.of("shown"));
		});
		return breach;
	}

	private void mark(String id, Collection<String> accountIds, String status, String column, List<String> from) {
		this.transaction.executeWithoutResult(tx -> {
			List<String> changed = this.jdbc.sql("""
					SELECT account_id FROM breach_person WHERE breach_id = :id AND account_id IN (:accounts)
					AND inapp_status IN (:from)""")
				.param("id", id)
				.param("accounts", List.copyOf(accountIds))
				.param("from", from)
				.query(String.class)
				.list();
			for (String account : changed) {
				int updated = this.jdbc.sql("UPDATE breach_person SET inapp_status = :status, " + column
						+ " = :now WHERE breach_id = :id AND account_id = :account AND inapp_status IN (:from)")
					.param("status", status)
					.param("now", utc(this.clock.instant()))
					.param("id", id)
					.param("account", account)
					.param("from", from)
					.update();
				if (updated == 1) {
					this.audit.record(AuditEntry.of(AuditTypes.BREACH_NOTICE_DELIVERY)
						.actor("user:" + account)
						.subject(account)
						.detail("breach", id)
						.detail("channel", "in-app")
						.detail("outcome", status));
				}
			}
		});
	}

	// regulator reports

	public record Report(String id, String breachId, Instant reportedAt, String authority, String reference,
			String reportedBy, Instant recordedAt) {
	}

	public Report report(String id, Instant reportedAt, String authority, String reference, String operator) {
		List<BreachException.Problem> problems = new ArrayList<>();
		if (reportedAt == null) {
			problems.add(new BreachException.Problem("reportedAt", "reported-missing"));
		}
		else if (reportedAt.isAfter(this.clock.instant().plusSeconds(300))) {
			problems.add(new BreachException.Problem("reportedAt", "future"));
		}
		if (authority == null || authority.isBlank() || authority.strip().length() > 200
				|| authority.chars().anyMatch(Character::isISOControl)) {
			problems.add(new BreachException.Problem("authority", "authority"));
		}
		String ref = reference == null || reference.isBlank() ? null : reference.strip();
		if (ref != null && (ref.length() > 200 || ref.chars().anyMatch(Character::isISOControl))) {
			problems.add(new BreachException.Problem("reference", "reference"));
		}
		if (!problems.isEmpty()) {
			throw BreachException.invalid(problems);
		}
		String reportId = newId();
		Instant now = this.clock.instant();
		this.transaction.executeWithoutResult(tx -> {
			Breach breach = locked(id);
			this.jdbc.sql("""
					INSERT INTO breach_report (id, breach_id, reported_at, authority, report_reference, reported_by,
					recorded_at) VALUES (:id, :breach, :at, :authority, :ref, :by, :now)""")
				.param("id", reportId)
				.param("breach", breach.id())
				.param("at", utc(reportedAt))
				.param("authority", authority.strip())
				.param("ref", ref)
				.param("by", operator)
				.param("now", utc(now))
				.update();
			this.audit.record(AuditEntry.of(AuditTypes.BREACH_REPORTED)
				.actor(actor(operator))
				.detail("breach", id)
				.detail("report", reportId)
				.detail("authority", authority.strip())
				.detail("reference", ref)
				.detail("reportedAt", AuditEntry.time(reportedAt)));
		});
		return reports(id).stream().filter(r -> r.id().equals(reportId)).findFirst().orElseThrow();
	}

	public List<Report> reports(String id) {
		return this.jdbc.sql("SELECT * FROM breach_report WHERE breach_id = :id ORDER BY reported_at, id")
			.param("id", id)
			.query((rs, i) -> new Report(rs.getString("id"), rs.getString("breach_id"), time(rs, "reported_at"),
					rs.getString("authority"), rs.getString("report_reference"), rs.getString("reported_by"),
					time(rs, "recorded_at")))
			.list();
	}

	// helpers

	private Breach locked(String id) {
		if (id == null || id.length() > 40) {
			throw BreachException.notFound();
		}
		return this.jdbc.sql("SELECT * FROM breach_record WHERE id = :id FOR UPDATE")
			.param("id", id)
			.query(this::map)
			.optional()
			.orElseThrow(BreachException::notFound);
	}

	private int count(String id) {
		return this.jdbc.sql("SELECT COUNT(*) FROM breach_person WHERE breach_id = :id")
			.param("id", id)
			.query(Integer.class)
			.single();
	}

	static String actor(String operator) {
		return "admin:" + operator;
	}

	private static String newId() {
		StringBuilder id = new StringBuilder("BR-" + java.time.Year.now(ZoneOffset.UTC) + "-");
		for (int i = 0; i < 8; i++) {
			if (i == 4) {
				id.append('-');
			}
			id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
		}
		return id.toString();
	}

	private static List<String> sortedUnique(List<String> values) {
		return values.stream().map(String::strip).filter(v -> !v.isEmpty()).distinct().sorted().toList();
	}

	private static List<String> split(String joined) {
		return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
	}

	static OffsetDateTime utc(Instant instant) {
		return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
	}

	static Instant time(ResultSet rs, String column) throws SQLException {
		OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
		return t == null ? null : t.toInstant();
	}

	private Breach map(ResultSet rs, int row) throws SQLException {
		Instant selFrom = time(rs, "selection_from");
		Breach.Selection selection = selFrom == null ? null
				: new Breach.Selection(selFrom, time(rs, "selection_to"), split(rs.getString("selection_types")),
						split(rs.getString("selection_clients")), split(rs.getString("selection_categories")));
		return new Breach(rs.getString("id"), time(rs, "discovered_at"), time(rs, "occurred_from"),
				time(rs, "occurred_to"), split(rs.getString("categories")),
				new Breach.Text(rs.getString("description_zh"), rs.getString("description_en")),
				new Breach.Text(rs.getString("cause_zh"), rs.getString("cause_en")),
				new Breach.Text(rs.getString("harm_zh"), rs.getString("harm_en")),
				new Breach.Text(rs.getString("measures_zh"), rs.getString("measures_en")),
				new Breach.Text(rs.getString("remedies_zh"), rs.getString("remedies_en")), rs.getString("contact"),
				Breach.Status.of(rs.getString("status")), time(rs, "recorded_at"), rs.getString("recorded_by"),
				selection, time(rs, "selected_at"), rs.getString("selected_by"), time(rs, "notices_started_at"),
				rs.getString("notices_started_by"));
	}

}
