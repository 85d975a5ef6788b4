package dev.tongxing.server.events;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.tongxing.server.oidc.OidcProperties;
import dev.tongxing.server.oidc.SubjectResolver;
import dev.tongxing.server.oidc.UserAuthorizations;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * {@link SecurityEvents} over the transactional outbox: each call writes one row per receiver in the
 * caller's transaction and returns; {@link DeliveryWorker} sends them after commit. Only clients that
 * registered a receiver get anything: {@code events-endpoint} for Security Event Tokens,
 * {@code backchannel-logout-uri} for logout tokens.
 * <p>
 * SETs follow SSF 1.0: no {@code sub} or {@code exp}; the subject is {@code sub_id} of format {@code iss_sub}
 * with the {@code sub} that client was given; one event per SET; SETs of one cause share a {@code txn}.
 * They carry no personal data: RISC {@code identifier-changed} is sent without {@code new-value}.
 */
@Service
class OutboxSecurityEvents implements SecurityEvents {

	private static final Logger log = LoggerFactory.getLogger(OutboxSecurityEvents.class);

	/** The only {@code reason} values RISC 1.0 defines for account-disabled. */
	private static final Set<String> RISC_DISABLED_REASONS = Set.of("hijacking", "bulk-account");

	private final Recipients recipients;

	private final Receivers receivers;

	private final Outbox outbox;

	private final UserAuthorizations authorizations;

	private final String issuer;

	private final Clock clock;

	private final SubjectResolver subjects;

	OutboxSecurityEvents(Recipients recipients, Receivers receivers, Outbox outbox, UserAuthorizations authorizations,
			OidcProperties oidc, Clock clock, org.springframework.beans.factory.ObjectProvider<SubjectResolver> subjects) {
		this.subjects = subjects.getIfAvailable(() -> SubjectResolver.ACCOUNT_ID);
		this.recipients = recipients;
		this.receivers = receivers;
		this.outbox = outbox;
		this.authorizations = authorizations;
		this.issuer = oidc.issuer();
		this.clock = clock;
	}

	@Override
	public Set<String> recipients(String userId) {
		return new LinkedHashSet<>(this.recipients.of(userId).keySet());
	}

	@Override
	public void accountPurged(String userId) {
		toEveryRecipient(userId, newTxn(), EventTypes.ACCOUNT_PURGED, Map.of());
	}

	@Override
	public void accountPurged(String userId, Initiator initiator) {
		Map<String, Object> event = initiator == null ? Map.of()
				: caepEvent(initiator.code(), purgedBy(initiator), "您的账号已注销", "Your account has been deleted");
		toEveryRecipient(userId, newTxn(), EventTypes.ACCOUNT_PURGED, event);
	}

	@Override
	public void accountDisabled(String userId, String reason) {
		accountDisabled(userId, reason, null);
	}

	@Override
	public void accountDisabled(String userId, String reason, Initiator initiator) {
		String txn = newTxn();
		Map<String, Object> event = new LinkedHashMap<>();
		if (initiator != null) {
			event.putAll(caepEvent(initiator.code(), disabledBy(initiator, reason), "您的账号已停用",
					"Your account has been disabled"));
		}
		if (reason != null && RISC_DISABLED_REASONS.contains(reason)) {
			event.put("reason", reason);
		}
		toEveryRecipient(userId, txn, EventTypes.ACCOUNT_DISABLED, event);
		// SSF: the sessions of a disabled account end too, as a sibling SET of the same cause (same txn)
		toEveryRecipient(userId, txn, EventTypes.SESSION_REVOKED,
				caepEvent(initiator == null ? "system" : initiator.code(),
						initiator == null ? "The account was disabled" + (reason == null ? "" : " (" + reason + ")")
								: disabledBy(initiator, reason),
						"您的账号已停用", "Your account has been disabled"));
	}

	private static String purgedBy(Initiator initiator) {
		return switch (initiator) {
			case USER -> "The user deleted their account";
			case ADMIN -> "An operator deleted the account";
			case POLICY -> "The account was deleted under the retention policy";
			case SYSTEM -> "The account was deleted";
		};
	}

	private static String disabledBy(Initiator initiator, String reason) {
		String why = reason == null ? "" : " (" + reason + ")";
		return switch (initiator) {
			case USER -> "The user asked to delete their account" + why;
			case ADMIN -> "An operator disabled the account" + why;
			case POLICY -> "The account was disabled under the retention policy" + why;
			case SYSTEM -> "The account was disabled" + why;
		};
	}

	@Override
	public void accountEnabled(String userId) {
		toEveryRecipient(userId, newTxn(), EventTypes.ACCOUNT_ENABLED, Map.of());
	}

	@Override
	public void sessionRevoked(String userId, String clientId) {
		String txn = newTxn();
		Map<String, Object> event = caepEvent("user", "The user revoked this client's access", "您已撤回对此应用的授权",
				"You withdrew this app's access");
		Set<String> known = this.recipients.of(userId).get(clientId);
		// a client that never received anything is named the way it would be: by the sub it would get
		for (String subject : known == null || known.isEmpty() ? Set.of(this.subjects.subjectFor(userId, clientId))
				: known) {
			queueSet(clientId, userId, txn, EventTypes.SESSION_REVOKED, issSub(subject), event);
		}
	}

	@Override
	public void logoutEverywhere(String userId) {
		queueLogouts(userId, null);
	}

	@Override
	public void logout(String userId, String clientId) {
		queueLogouts(userId, clientId);
	}

	/**
	 * Logout tokens, naming the session, to every client the browser session {@code sid} signed in to and that
	 * has a back-channel logout URI: the person signed out at the provider (RP-initiated logout). Other
	 * sessions of the person, elsewhere, stay.
	 */
	void logoutSession(String userId, String sid) {
		String txn = newTxn();
		Set<String> clients = new LinkedHashSet<>();
		for (UserAuthorizations.LiveSession session : this.authorizations.liveSessions(userId)) {
			if (sid.equals(session.sid())) {
				clients.add(session.clientId());
			}
		}
		clients.forEach(clientId -> this.receivers.find(clientId)
			.filter(receiver -> receiver.logoutUri() != null)
			.ifPresent(receiver -> queueLogout(clientId, userId, txn, sid)));
	}

	/** Logout tokens to every client with a live session of the user, or to {@code onlyClient} if given. */
	private void queueLogouts(String userId, String onlyClient) {
		String txn = newTxn();
		Map<String, Set<String>> sidsByClient = new LinkedHashMap<>();
		for (UserAuthorizations.LiveSession session : this.authorizations.liveSessions(userId)) {
			if (onlyClient != null && !onlyClient.equals(session.clientId())) {
				continue;
			}
			Set<String> sids = sidsByClient.computeIfAbsent(session.clientId(), c -> new LinkedHashSet<>());
			if (session.sid() != null) {
				sids.add(session.sid());
			}
		}
		sidsByClient.forEach((clientId, sids) -> this.receivers.find(clientId)
			.filter(receiver -> receiver.logoutUri() != null)
			.ifPresent(receiver -> {
				if (!receiver.logoutSessionRequired()) {
					// a logout token with sub alone ends every session of the user at the client
					queueLogout(clientId, userId, txn, null);
				}
				else if (sids.isEmpty()) {
					log.warn("Client {} requires sid in logout tokens, but its live tokens came from no browser session",
							clientId);
				}
				else {
					sids.forEach(sid -> queueLogout(clientId, userId, txn, sid));
				}
			}));
	}

	/**
	 * RISC {@code identifier-changed} to every recipient, the user's phone number changed, with its CAEP
	 * sibling {@code credential-change} ({@code phone-sms}, {@code update}) under the same txn.
	 */
	void identifierChanged(String userId) {
		String txn = newTxn();
		toEveryRecipient(userId, txn, EventTypes.IDENTIFIER_CHANGED, Map.of());
		Map<String, Object> change = caepEvent("user", "The user bound another phone number for sign-in codes",
				"您更换了登录手机号", "You changed your sign-in phone number");
		change.put("credential_type", "phone-sms");
		change.put("change_type", "update");
		toEveryRecipient(userId, txn, EventTypes.CREDENTIAL_CHANGE, change);
	}

	/**
	 * RISC {@code identifier-recycled} to every recipient: the account's phone number now belongs to someone else,
	 * so a client must stop treating it as this person's (no SMS, no look-ups by it). The subject is the {@code sub}
	 * the client knows, as for every event here, not the number: RISC names the identifier itself, but the number
	 * is now a stranger's personal data, which SSF's privacy rules and PIPL keep from clients. Then back-channel
	 * logout everywhere: a session opened with the number may have been the new holder's.
	 */
	void identifierRecycled(String userId) {
		toEveryRecipient(userId, newTxn(), EventTypes.IDENTIFIER_RECYCLED, Map.of());
		queueLogouts(userId, null);
	}

	/**
	 * An SSF verification event, so an operator can check that a client's receiver is wired up.
	 * @return the queued event's jti, or null when the client has no events endpoint
	 */
	String verification(String clientId, String state) {
		if (this.receivers.find(clientId).map(Receivers.Receiver::eventsEndpoint).isEmpty()) {
			return null;
		}
		Map<String, Object> event = state == null ? Map.of() : Map.of("state", state);
		// SSF: the subject of a verification event is the stream; a client has one stream, named by its id
		return queueSet(clientId, null, newTxn(), EventTypes.VERIFICATION, Map.of("format", "opaque", "id", clientId),
				event);
	}

	private void toEveryRecipient(String userId, String txn, String eventType, Map<String, Object> event) {
		this.recipients.of(userId)
			.forEach((clientId, subjects) -> subjects
				.forEach(subject -> queueSet(clientId, userId, txn, eventType, issSub(subject), event)));
	}

	private String queueSet(String clientId, String userId, String txn, String eventType, Map<String, Object> subject,
			Map<String, Object> event) {
		if (this.receivers.find(clientId).map(Receivers.Receiver::eventsEndpoint).isEmpty()) {
			return null; // the client registered no receiver: it learns at its next token request
		}
		String jti = UUID.randomUUID().toString();
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("iss", this.issuer);
		claims.put("jti", jti);
		claims.put("iat", this.clock.instant().getEpochSecond());
		claims.put("aud", clientId);
		claims.put("txn", txn);
		claims.put("sub_id", subject);
		claims.put("events", Map.of(eventType, event));
		this.outbox.add(jti, Outbox.SET, eventType, clientId, userId, txn, JSONObjectUtils.toJSONString(claims));
		return jti;
	}

	private void queueLogout(String clientId, String userId, String txn, String sid) {
		String jti = UUID.randomUUID().toString();
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("iss", this.issuer);
		claims.put("jti", jti);
		claims.put("aud", clientId);
		claims.put("sub", this.subjects.subjectFor(userId, clientId)); // the sub this client knows
		if (sid != null) {
			claims.put("sid", sid);
		}
		claims.put("events", Map.of(EventTypes.BACKCHANNEL_LOGOUT, Map.of()));
		// iat and exp are added when it is signed, at each attempt; never a nonce (the spec forbids one)
		this.outbox.add(jti, Outbox.LOGOUT, EventTypes.BACKCHANNEL_LOGOUT, clientId, userId, txn,
				JSONObjectUtils.toJSONString(claims));
	}

	private Map<String, Object> issSub(String subject) {
		Map<String, Object> subId = new LinkedHashMap<>();
		subId.put("format", "iss_sub");
		subId.put("iss", this.issuer);
		subId.put("sub", subject);
		return subId;
	}

	/** CAEP's common claims; the interoperability profile wants a non-empty {@code reason_admin}. */
	private Map<String, Object> caepEvent(String initiatingEntity, String reasonAdmin, String reasonUserZh,
			String reasonUserEn) {
		Map<String, Object> event = new LinkedHashMap<>();
		event.put("event_timestamp", this.clock.instant().getEpochSecond());
		event.put("initiating_entity", initiatingEntity);
		event.put("reason_admin", Map.of("en", reasonAdmin));
		Map<String, Object> reasonUser = new LinkedHashMap<>();
		reasonUser.put("zh-Hans", reasonUserZh);
		reasonUser.put("en", reasonUserEn);
		event.put("reason_user", reasonUser);
		return event;
	}

	private static String newTxn() {
		return UUID.randomUUID().toString();
	}

}
