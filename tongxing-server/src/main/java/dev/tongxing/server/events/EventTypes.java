package dev.tongxing.server.events;

/** The event-type URIs this gateway sends, exactly as the specifications name them. */
public final class EventTypes {

	private static final String RISC = "https://schemas.openid.net/secevent/risc/event-type/";

	private static final String CAEP = "https://schemas.openid.net/secevent/caep/event-type/";

	/** RISC 1.0: the account was deleted. */
	public static final String ACCOUNT_PURGED = RISC + "account-purged";

	/** RISC 1.0: the account was disabled (e.g. a deletion's cooling-off period started). */
	public static final String ACCOUNT_DISABLED = RISC + "account-disabled";

	/** RISC 1.0: a disabled account was enabled again. */
	public static final String ACCOUNT_ENABLED = RISC + "account-enabled";

	/** RISC 1.0: one of the account's identifiers (here: its phone number) changed. */
	public static final String IDENTIFIER_CHANGED = RISC + "identifier-changed";

	/**
	 * RISC 1.0: the identifier (here: the account's phone number) was recycled and now belongs to someone else.
	 */
	public static final String IDENTIFIER_RECYCLED = RISC + "identifier-recycled";

	/** CAEP 1.0: a credential was created, changed or removed (here: the phone that receives sign-in codes). */
	public static final String CREDENTIAL_CHANGE = CAEP + "credential-change";

	/** CAEP 1.0: the user's session at the receiver was revoked. */
	public static final String SESSION_REVOKED = CAEP + "session-revoked";

	/** SSF 1.0: a verification event an operator asks for, to check a receiver is wired up. */
	public static final String VERIFICATION = "https://schemas.openid.net/secevent/ssf/event-type/verification";

	/** OpenID Connect Back-Channel Logout 1.0: the member of a logout token's {@code events} claim. */
	public static final String BACKCHANNEL_LOGOUT = "http://schemas.openid.net/event/backchannel-logout";

	private EventTypes() {
	}

	/** The short name operators see ({@code account-purged}, {@code backchannel-logout}, …). */
	static String shortName(String uri) {
		return uri.substring(uri.lastIndexOf('/') + 1);
	}

}
