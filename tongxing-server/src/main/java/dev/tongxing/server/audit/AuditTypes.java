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

	public static final String ADMIN_KEYS_ROTATED = "admin.keys.rotated";

	public static final String ADMIN_AUDIT_EXPORTED = "admin.audit.exported";

	public static final String ADMIN_CLIENT_SHARING_CHANGED = "admin.client.sharing-changed";

	/** Any operator request that changes something (method and path), before it runs. */
	public static final String ADMIN_REQUEST = "admin.request";

	// Reserved for features still to come, so their entries read alike.

	public static final String CONSENT_GRANTED = "consent.granted";

	public static final String CONSENT_REFUSED = "consent.refused";

	public static final String CONSENT_WITHDRAWN = "consent.withdrawn";

	public static final String PERSONAL_DATA_READ = "personal-data.read";

	public static final String PERSONAL_DATA_RELEASED = "personal-data.released";

	public static final String DELETION_STEP = "deletion.step";

	private static final Pattern SHAPE = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+");

	private AuditTypes() {
	}

	static boolean wellFormed(String type) {
		return type != null && type.length() <= 64 && SHAPE.matcher(type).matches();
	}

}
