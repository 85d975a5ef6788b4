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

	/** RISC {@code account-disabled} to every recipient, e.g. when deletion starts its cooling-off period. */
	void accountDisabled(String userId, String reason);

	/** RISC {@code account-enabled} to every recipient, e.g. when the person cancels a deletion. */
	void accountEnabled(String userId);

	/** CAEP {@code session-revoked} to one client (e.g. after consent withdrawal revoked its tokens). */
	void sessionRevoked(String userId, String clientId);

	/** OpenID Connect back-channel logout to every client with a live session of the user that asked for it. */
	void logoutEverywhere(String userId);

	/** OpenID Connect back-channel logout to one client, if it has a live session of the user and asked for it. */
	void logout(String userId, String clientId);

}
