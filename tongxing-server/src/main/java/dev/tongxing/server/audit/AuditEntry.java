package dev.tongxing.server.audit;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One thing that happened, for the audit log. Built fluently:
 * {@code AuditEntry.of(AuditTypes.LOGIN_SUCCEEDED).actor("user:" + id).subject(id).detail("method", "wechat")}.
 * <p>
 * Entries are kept for years (deleted only from the chain's oldest end, after {@code tongxing.audit.retention}),
 * so they hold as little personal data as the record allows: ids, never phone numbers, openids or names.
 *
 * @param type what happened, one of {@link AuditTypes}
 * @param actor who did it: {@code user:<id>}, {@code admin:<name>}, {@code client:<id>}, {@code cli:<os user>},
 * {@code system}; null when unknown (e.g. a failed login)
 * @param subject the account it concerns (a user id), or null
 * @param clientId the OAuth client it concerns, or null
 * @param details small facts about it: strings, integers, booleans (sorted by key when stored)
 * @param at when it happened; null for "now"
 */
public record AuditEntry(String type, String actor, String subject, String clientId, Map<String, Object> details,
		Instant at) {

	public AuditEntry {
		details = details == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(details));
	}

	public static AuditEntry of(String type) {
		return new AuditEntry(type, null, null, null, Map.of(), null);
	}

	public AuditEntry actor(String actor) {
		return new AuditEntry(this.type, actor, this.subject, this.clientId, this.details, this.at);
	}

	public AuditEntry subject(String subject) {
		return new AuditEntry(this.type, this.actor, subject, this.clientId, this.details, this.at);
	}

	public AuditEntry client(String clientId) {
		return new AuditEntry(this.type, this.actor, this.subject, clientId, this.details, this.at);
	}

	public AuditEntry at(Instant at) {
		return new AuditEntry(this.type, this.actor, this.subject, this.clientId, this.details, at);
	}

	/** An instant as the chain stores it in a detail (UTC, ISO-8601), for packages that record times. */
	public static String time(Instant instant) {
		return ChainedEntry.time(instant);
	}

	/** Adds one detail; a null value is left out. */
	public AuditEntry detail(String key, Object value) {
		if (value == null) {
			return this;
		}
		Map<String, Object> more = new TreeMap<>(this.details);
		more.put(key, value);
		return new AuditEntry(this.type, this.actor, this.subject, this.clientId, more, this.at);
	}

}
