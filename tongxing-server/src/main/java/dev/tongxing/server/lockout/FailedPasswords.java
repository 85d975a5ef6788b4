package dev.tongxing.server.lockout;

import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.audit.AuditTypes;
import dev.tongxing.server.crypto.PersonalDataCipher;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Failed-attempt throttling for every password the gateway checks (operators' HTTP Basic, client secrets): after
 * {@code max-failures} wrong passwords within the window, from one address or for one name, both are locked out for
 * a while that doubles with each lockout in a row. The state is in the database ({@code lockout_failure}), one row
 * per address or name, so every node sees it and no row is shared by unrelated callers; each node keeps the rows in
 * memory (re-read twice a second), so a right password costs no query. Addresses and names are stored as keyed
 * lookup hashes only.
 */
@Component
public class FailedPasswords {

	private static final Logger log = LoggerFactory.getLogger(FailedPasswords.class);

	/**
	 * What a password protects: {@code operator} (the API's Basic operator), {@code client} (client secrets) or
	 * {@code second_factor} (a console operator's TOTP codes, counted per account and per address).
	 */
	public enum Kind {

		OPERATOR, CLIENT, SECOND_FACTOR;

		String column() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

	private final JdbcClient jdbc;

	private final PersonalDataCipher cipher;

	private final LockoutProperties properties;

	private final Clock clock;

	private final AuditLog audit;

	private final MeterRegistry meters;

	FailedPasswords(JdbcClient jdbc, PersonalDataCipher cipher, LockoutProperties properties, Clock clock,
			AuditLog audit, MeterRegistry meters) {
		this.jdbc = jdbc;
		this.cipher = cipher;
		this.properties = properties;
		this.clock = clock;
		this.audit = audit;
		this.meters = meters;
	}

	/**
	 * What is known before a password is checked.
	 * @param lockedOut the address or the name is locked out now: the password must not even be checked
	 * @param nameHasFailures wrong passwords for the name are being counted (a right one then resets them)
	 */
	public record Standing(boolean lockedOut, boolean nameHasFailures) {
	}

	/** A row of {@code lockout_failure} as this node last read it. */
	private record Known(Instant updatedAt, Instant lockedUntil) {
	}

	/**
	 * The rows of every node, by kind and key, re-read every {@code tongxing.lockout.refresh} (what changed since
	 * the last read): a password check reads no row. Rows are few — only names and addresses with recent wrong
	 * passwords have one.
	 */
	private final java.util.Map<String, Known> known = new java.util.concurrent.ConcurrentHashMap<>();

	private volatile Instant seenUntil = Instant.EPOCH;

	/** Before a password is checked: from memory, as every node's failures stood at most a refresh ago. */
	public Standing standing(Kind kind, String name, String address) {
		Instant now = this.clock.instant();
		Known byName = this.known.get(kind.column() + ":" + key("name", name));
		Known byAddress = this.known.get(kind.column() + ":" + key("address", address));
		boolean locked = isLocked(byName, now) || isLocked(byAddress, now);
		if (locked) {
			this.meters.counter("tongxing.password.refused.locked", "kind", kind.column()).increment();
		}
		return new Standing(locked, byName != null);
	}

	private static boolean isLocked(Known known, Instant now) {
		return known != null && known.lockedUntil() != null && known.lockedUntil().isAfter(now);
	}

	/** Reads the rows any node changed since the last read, and forgets those no longer in force. */
	@org.springframework.scheduling.annotation.Scheduled(fixedDelayString = "${tongxing.lockout.refresh:500ms}")
	public void refresh() {
		try {
			Instant[] newest = { this.seenUntil };
			this.jdbc.sql("""
					SELECT kind, key_hash, locked_until, updated_at FROM lockout_failure WHERE updated_at >= :since""")
				.param("since", Timestamp.from(this.seenUntil.minusSeconds(5))) // commits may land out of order
				.query((rs, n) -> {
					Timestamp until = rs.getTimestamp("locked_until");
					Instant updated = rs.getTimestamp("updated_at").toInstant();
					this.known.put(rs.getString("kind") + ":" + rs.getString("key_hash"),
							new Known(updated, until == null ? null : until.toInstant()));
					if (updated.isAfter(newest[0])) {
						newest[0] = updated;
					}
					return null;
				})
				.list();
			this.seenUntil = newest[0];
			Instant stale = this.clock.instant().minus(this.properties.window());
			Instant now = this.clock.instant();
			this.known.values().removeIf(k -> k.updatedAt().isBefore(stale) && !isLocked(k, now));
		}
		catch (RuntimeException ex) {
			log.warn("Could not read the failed-password counts: {}", ex.toString());
		}
	}

	/** Counts a wrong password for the name and the address; locks them out when it was one too many. */
	public void failed(Kind kind, String name, String address) {
		this.meters.counter("tongxing.password.failures", "kind", kind.column()).increment();
		Instant now = this.clock.instant();
		for (String scope : new String[] { "name", "address" }) {
			String key = key(scope, scope.equals("name") ? name : address);
			int failures = count(kind, key, now);
			Instant lockedUntil = null;
			if (failures >= this.properties.maxFailures(kind)) {
				lockedUntil = lock(kind, key, scope, name, address, now);
			}
			Known before = this.known.get(kind.column() + ":" + key);
			this.known.put(kind.column() + ":" + key, new Known(now,
					lockedUntil != null ? lockedUntil : before == null ? null : before.lockedUntil()));
		}
	}

	/** A right password: the name's count starts again (the address's stays, it may be trying many names). */
	public void succeeded(Kind kind, String name) {
		Known before = this.known.remove(kind.column() + ":" + key("name", name));
		if (before != null && isLocked(before, this.clock.instant())) {
			this.known.put(kind.column() + ":" + key("name", name), before); // the lockout row stays
		}
		this.jdbc.sql("DELETE FROM lockout_failure WHERE kind = :kind AND key_hash = :key AND (locked_until IS NULL OR locked_until <= :now)")
			.param("kind", kind.column())
			.param("key", key("name", name))
			.param("now", Timestamp.from(this.clock.instant()))
			.update();
	}

	/** Rows nobody failed on for longer than any window or lockout lasts. */
	public int purge() {
		Instant before = this.clock.instant().minus(this.properties.window()).minus(this.properties.maxLockout());
		return this.jdbc.sql("DELETE FROM lockout_failure WHERE updated_at < :before AND (locked_until IS NULL OR locked_until < :before)")
			.param("before", Timestamp.from(before))
			.update();
	}

	private int count(Kind kind, String key, Instant now) {
		Timestamp windowStart = Timestamp.from(now.minus(this.properties.window()));
		for (int attempt = 0; attempt < 3; attempt++) {
			int updated = this.jdbc.sql("""
					UPDATE lockout_failure SET
					  failures = CASE WHEN window_started < :windowStart THEN 1 ELSE failures + 1 END,
					  window_started = CASE WHEN window_started < :windowStart THEN :now ELSE window_started END,
					  updated_at = :now
					WHERE kind = :kind AND key_hash = :key""")
				.param("windowStart", windowStart)
				.param("now", Timestamp.from(now))
				.param("kind", kind.column())
				.param("key", key)
				.update();
			if (updated == 0) {
				try {
					this.jdbc.sql("""
							INSERT INTO lockout_failure (kind, key_hash, failures, window_started, lockouts, updated_at)
							VALUES (:kind, :key, 1, :now, 0, :now)""")
						.param("kind", kind.column())
						.param("key", key)
						.param("now", Timestamp.from(now))
						.update();
					return 1;
				}
				catch (DuplicateKeyException raced) {
					continue; // another node inserted it first: count on its row
				}
			}
			return this.jdbc.sql("SELECT failures FROM lockout_failure WHERE kind = :kind AND key_hash = :key")
				.param("kind", kind.column())
				.param("key", key)
				.query(Integer.class)
				.single();
		}
		return 0;
	}

	/** @return until when */
	private Instant lock(Kind kind, String key, String scope, String name, String address, Instant now) {
		Integer earlier = this.jdbc.sql("SELECT lockouts FROM lockout_failure WHERE kind = :kind AND key_hash = :key")
			.param("kind", kind.column())
			.param("key", key)
			.query(Integer.class)
			.optional()
			.orElse(0);
		Duration lockout = this.properties.lockoutAfter(earlier);
		this.jdbc.sql("""
				UPDATE lockout_failure SET locked_until = :until, lockouts = lockouts + 1, failures = 0,
				  window_started = :now, updated_at = :now WHERE kind = :kind AND key_hash = :key""")
			.param("until", Timestamp.from(now.plus(lockout)))
			.param("now", Timestamp.from(now))
			.param("kind", kind.column())
			.param("key", key)
			.update();
		this.meters.counter("tongxing.password.lockouts", "kind", kind.column(), "by", scope).increment();
		log.warn("Locked out {} {} for {} after {} wrong passwords", kind.column(),
				scope.equals("name") ? "'" + printable(name) + "'" : "address " + network(address), lockout,
				this.properties.maxFailures(kind));
		AuditEntry entry = AuditEntry.of(AuditTypes.PASSWORD_LOCKED_OUT)
			.detail("kind", kind.column())
			.detail("by", scope)
			.detail("network", network(address))
			.detail("seconds", lockout.toSeconds())
			.detail("lockouts_in_a_row", earlier + 1);
		// the name is an operator's or a client's id, not personal data; a client's goes where clients' go
		this.audit.record(kind == Kind.CLIENT ? entry.client(printable(name)) : entry.detail("operator", printable(name)));
		return now.plus(lockout);
	}

	private String key(String scope, String value) {
		return this.cipher.lookupHash("lockout." + scope, value == null ? "" : value);
	}

	private static String printable(String value) {
		String safe = value == null ? "" : value.replaceAll("[^\\x21-\\x7E]", "?");
		return safe.length() > 100 ? safe.substring(0, 100) : safe;
	}

	/** The caller's network (/24 or /48), never the full address. */
	static String network(String address) {
		if (address == null) {
			return "unknown";
		}
		java.util.regex.Matcher v4 = java.util.regex.Pattern.compile("^(\\d{1,3}\\.\\d{1,3}\\.\\d{1,3})\\.\\d{1,3}$").matcher(address);
		if (v4.matches()) {
			return v4.group(1) + ".0/24";
		}
		if (address.contains(":")) {
			String[] groups = address.split(":", -1);
			return groups.length >= 3 ? groups[0] + ":" + groups[1] + ":" + groups[2] + "::/48" : "unknown";
		}
		return "unknown";
	}

}
