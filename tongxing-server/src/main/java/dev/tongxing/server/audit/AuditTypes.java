package dev.tongxing.server.audit;

import java.util.regex.Pattern;

/**
 * The kinds of audit entries: {@code <area>.<what happened>}. A new feature adds its own here (consent,
 * deletion, personal-data reads) without any change to the log.
 */
public final class AuditTypes {

	public static final String LOGIN_SUCCEEDED = "login.succeeded";

	public static final String LOGIN_FAILED = "login.failed";

	/** Tokens delivered at the token endpoint (never their values: client, subject, grant, jti, expiry). */
	public static final String TOKEN_ISSUED = "token.issued";

	public static final String ACCOUNT_CREATED = "account.created";

	public static final String ACCOUNT_LINKED = "account.linked";

	public static final String ACCOUNT_UNLINKED = "account.unlinked";

	public static final String ACCOUNT_MERGED = "account.merged";

	public static final String ACCOUNT_ERASED = "account.erased";

	/** The person corrected their display name (never the name itself in the entry). */
	public static final String ACCOUNT_NAME_CORRECTED = "account.name-corrected";

	/** The person chose which of their ways in's avatars is shown (details: provider or none; never the URL). */
	public static final String ACCOUNT_PICTURE_CHOSEN = "account.picture-chosen";

	/**
	 * An identifier left an account because it had passed to someone else (a recycled phone number; details:
	 * provider, reason, method of the sign-in that proved it; never the identifier).
	 */
	public static final String ACCOUNT_IDENTIFIER_RECYCLED = "account.identifier-recycled";

	/** An operator recorded numbers the carrier reports recycled (count, date; never the numbers). */
	public static final String ADMIN_PHONE_NUMBERS_RECYCLED = "admin.phone-numbers.recycled";

	/** An operator gave a kept account a new way in after its number was recycled (provider; never the key). */
	public static final String ADMIN_ACCOUNT_RESTORED = "admin.account.restored";

	/** An account brought in from another system by {@code import users} (outcome: created, merged, updated). */
	public static final String ACCOUNT_IMPORTED = "account.imported";

	/** An {@code import users} run (counts, dry run or not; never a record's content). */
	public static final String ADMIN_USERS_IMPORTED = "admin.users.imported";

	/** The whole tenant written out by {@code export users} (count). */
	public static final String ADMIN_USERS_EXPORTED = "admin.users.exported";

	public static final String ADMIN_KEYS_ROTATED = "admin.keys.rotated";

	public static final String ADMIN_AUDIT_EXPORTED = "admin.audit.exported";

	public static final String ADMIN_CLIENT_SHARING_CHANGED = "admin.client.sharing-changed";

	/** An operator lifted the back-offs of a WeChat app (app id, how many held). */
	public static final String ADMIN_WECHAT_BACK_OFF_LIFTED = "admin.wechat.back-off-lifted";

	/** Personal data re-sealed under the current data key ({@code pii rekey}): counts per column, never values. */
	public static final String ADMIN_PII_REKEYED = "admin.pii.rekeyed";

	/** Any operator request that changes something (method and path), before it runs. */
	public static final String ADMIN_REQUEST = "admin.request";

	/** A security event or logout token accepted by its receiver (a provision record: client, event type, jti). */
	public static final String SECURITY_EVENT_DELIVERED = "security-event.delivered";

	/** A receiver refused a security event with 400 (RFC 8935): it is not sent again. */
	public static final String SECURITY_EVENT_REJECTED = "security-event.rejected";

	/** A security event given up after its maximum attempts or age. */
	public static final String SECURITY_EVENT_DEAD = "security-event.dead-lettered";

	public static final String ADMIN_SECURITY_EVENT_RETRIED = "admin.security-event.retried";

	public static final String ADMIN_SECURITY_EVENT_VERIFICATION = "admin.security-event.verification";

	/** A complaint ticket opened by a person (ticket number, method; never its words or contact). */
	public static final String COMPLAINT_OPENED = "complaint.opened";

	/** The person added a message to their ticket. */
	public static final String COMPLAINT_MESSAGE_ADDED = "complaint.message-added";

	/** An operator opened a ticket's sealed contact and texts. */
	public static final String COMPLAINT_VIEWED = "complaint.viewed";

	/** An operator replied publicly (the first reply stops the first-response clock). */
	public static final String COMPLAINT_REPLIED = "complaint.replied";

	public static final String COMPLAINT_CLOSED = "complaint.closed";

	/** A ticket near or past its first-response deadline escalated (level, outcome). */
	public static final String COMPLAINT_ESCALATED = "complaint.escalated";

	/** A ticket deleted at the end of its retention. */
	public static final String COMPLAINT_PURGED = "complaint.purged";

	/** A client went over its rate limit (client, endpoint, tier, limit); at most once a minute per client and node. */
	public static final String RATE_LIMIT_EXCEEDED = "rate-limit.exceeded";

	/** A personal-data incident recorded by an operator (PIPL Art. 57; breach id, data categories). */
	public static final String BREACH_RECORDED = "breach.recorded";

	/** An incident's record corrected before its notices went out (breach id, the fields changed, never texts). */
	public static final String BREACH_AMENDED = "breach.amended";

	/** The people an incident touched, selected from the audit trail (criteria, count), or a selection begun. */
	public static final String BREACH_SELECTED = "breach.selected";

	/** An operator started the notices of an incident (in-app published, SMS queued). */
	public static final String BREACH_NOTICES_STARTED = "breach.notices-started";

	/** One person's notice delivered or not, per channel (subject: the person; never the phone number). */
	public static final String BREACH_NOTICE_DELIVERY = "breach.notice-delivery";

	/** The report of an incident to a regulator recorded (authority, reference, when). */
	public static final String BREACH_REPORTED = "breach.reported";

	/**
	 * The chain's oldest entries reached the end of {@code tongxing.audit.retention} and were deleted (details:
	 * through, the last deleted seq; cutoff; retention).
	 */
	public static final String AUDIT_PURGED = "audit.purged";

	/**
	 * Records of a store past its retention were deleted (details: store, rows, cutoff, retention), in the same
	 * transaction as the deletion: every purge of personal information is on record, not only the log's own.
	 */
	public static final String RETENTION_PURGED = "retention.purged";

	// Reserved for features still to come, so their entries read alike.

	public static final String CONSENT_GRANTED = "consent.granted";

	public static final String CONSENT_REFUSED = "consent.refused";

	public static final String CONSENT_WITHDRAWN = "consent.withdrawn";

	public static final String PERSONAL_DATA_READ = "personal-data.read";

	public static final String PERSONAL_DATA_RELEASED = "personal-data.released";

	/** Someone with the right to (a guardian) corrected a person's data. */
	public static final String PERSONAL_DATA_CORRECTED = "personal-data.corrected";

	public static final String DELETION_STEP = "deletion.step";

	/** A client configured with {@code require-pkce: false} (recorded at each start-up; details: setting, value). */
	public static final String CLIENT_PKCE_NOT_REQUIRED = "client.pkce-not-required";

	/** Too many wrong passwords (an operator's or a client secret): details kind, by (name or address), network, seconds. */
	public static final String PASSWORD_LOCKED_OUT = "password.locked-out";

	/** A person added a passkey to their account (details: passkey, the row id; never key material or its name). */
	public static final String PASSKEY_ADDED = "passkey.added";

	/** A person renamed one of their passkeys (details: passkey). */
	public static final String PASSKEY_RENAMED = "passkey.renamed";

	/** A person removed one of their passkeys (details: passkey). */
	public static final String PASSKEY_REMOVED = "passkey.removed";

	/**
	 * A change of the account's bound phone number (ids and times, never a number): {@code requested},
	 * {@code proved} (detail {@code number}: {@code old} or {@code new}), {@code scheduled} (the old number was
	 * lost: after a wait), {@code notice} (what became of the notice to the old number), {@code cancelled},
	 * {@code applied}, {@code refused} (the new number had gone to another account by then).
	 */
	public static final String PHONE_CHANGE_REQUESTED = "phone-change.requested";

	public static final String PHONE_CHANGE_PROVED = "phone-change.proved";

	public static final String PHONE_CHANGE_SCHEDULED = "phone-change.scheduled";

	public static final String PHONE_CHANGE_NOTICE = "phone-change.notice";

	public static final String PHONE_CHANGE_CANCELLED = "phone-change.cancelled";

	public static final String PHONE_CHANGE_APPLIED = "phone-change.applied";

	public static final String PHONE_CHANGE_REFUSED = "phone-change.refused";

	private static final Pattern SHAPE = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+");

	private AuditTypes() {
	}

	static boolean wellFormed(String type) {
		return type != null && type.length() <= 64 && SHAPE.matcher(type).matches();
	}

}
