package dev.tongxing.server.events;

import java.util.Set;

/**
 * Tells downstream clients what happened to a user, as Security Event Tokens (RFC 8417) pushed per the
 * OpenID Shared Signals Framework (RFC 8935), and OpenID Connect back-channel logout tokens. Every method
 * only queues, in the caller's transaction (a transactional outbox): the events leave after commit, with
 * retries, and are never lost or sent for a change that rolled back.
 */
public interface SecurityEvents {

	/** The clients that ever received this user's personal data (tokens or claims), even if since revoked. */
	Set<String> recipients(String userId);

	/** RISC {@code account-purged} to every recipient: the account was deleted. Call before erasing it. */
	void accountPurged(String userId);

	/**
	 * {@link #accountPurged(String)} saying who started the deletion: the event carries the CAEP common claims
	 * {@code initiating_entity} (and {@code event_timestamp}, {@code reason_admin}, {@code reason_user}), since
	 * RISC defines no {@code reason} for a person's own deletion and receivers ignore claims they do not know.
	 */
	void accountPurged(String userId, Initiator initiator);

	/** RISC {@code account-disabled} to every recipient, e.g. when deletion starts its cooling-off period. */
	void accountDisabled(String userId, String reason);

	/**
	 * {@link #accountDisabled(String, String)} saying who started it, as {@link #accountPurged(String, Initiator)}
	 * does; its {@code session-revoked} sibling names the same initiator.
	 */
	void accountDisabled(String userId, String reason, Initiator initiator);

	/** RISC {@code account-enabled} to every recipient, e.g. when the person cancels a deletion. */
	void accountEnabled(String userId);

	/** CAEP {@code session-revoked} to one client (e.g. after consent withdrawal revoked its tokens). */
	void sessionRevoked(String userId, String clientId);

	/** OpenID Connect back-channel logout to every client with a live session of the user that asked for it. */
	void logoutEverywhere(String userId);

	/** OpenID Connect back-channel logout to one client, if it has a live session of the user and asked for it. */
	void logout(String userId, String clientId);

	/** Who started a change, as CAEP 1.0's {@code initiating_entity} spells it. */
	enum Initiator {

		/** The person themselves (or their guardian, who acts as the person for a child). */
		USER("user"),

		/** An operator. */
		ADMIN("admin"),

		/** A rule of the gateway's, e.g. the retention of an account whose consent was withdrawn. */
		POLICY("policy"),

		/** The gateway for another reason. */
		SYSTEM("system");

		private final String code;

		Initiator(String code) {
			this.code = code;
		}

		/** The {@code initiating_entity} value; also how deletion requests store it. */
		public String code() {
			return this.code;
		}

		/** The initiator a stored {@link #code()} names, or null for none (older rows). */
		public static Initiator of(String code) {
			for (Initiator initiator : values()) {
				if (initiator.code.equals(code)) {
					return initiator;
				}
			}
			return null;
		}

	}

}
