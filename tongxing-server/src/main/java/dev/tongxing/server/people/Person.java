package dev.tongxing.server.people;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the console shows of one person, already masked for the operator who asked ({@link #masked}). Times are
 * instants; the pages show them in the display zone.
 *
 * @param status {@code active}, {@code merged} or {@code erased}
 */
record Person(String accountId, String status, boolean masked, List<Identity> identities,
		List<Released> releasedIdentifiers, List<Consent> consents, List<App> connectedApps, List<SignIn> signIns,
		long signInHistoryDays, List<BrowserSession> sessions, List<Complaint> complaints, Deletion deletion) {

	/** A pending deletion (注销) of the account, in its cooling-off. */
	record Deletion(Instant requestedAt, Instant dueAt) {
	}

	/** @param id the link's id; @param methodLabelKey the message key naming its way in, or null */
	record Identity(String id, String provider, String methodLabelKey, String key, Instant createdAt,
			Instant lastLoginAt) {
	}

	/** @param shownAs masked already, whoever asks */
	record Released(String provider, String shownAs, String reason, Instant releasedAt) {
	}

	/** @param state {@code GIVEN} or {@code WITHDRAWN}; @param recipient the app, or null for the gateway's policy */
	record Consent(Instant recordedAt, String policyVersion, List<String> purposes, List<String> dataCategories,
			String recipient, String state, String method) {
	}

	record App(String clientId, String clientName, Instant since) {
	}

	/** @param network as the sign-in recorded it (masked for a viewer) */
	record SignIn(Instant at, String method, String methodLabelKey, String network, boolean success) {
	}

	/** @param ref a digest of the session's id, never the id */
	record BrowserSession(String ref, Instant createdAt, Instant lastActiveAt) {
	}

	/** @param state {@code open}, {@code answered} or {@code closed} */
	record Complaint(String number, String state, String method, Instant openedAt, Instant firstResponseAt,
			Instant closedAt) {
	}

	/** The JSON API's answer: the names in snake_case, times in ISO 8601. */
	Map<String, Object> json() {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("account_id", this.accountId);
		body.put("status", this.status);
		body.put("masked", this.masked);
		body.put("identities", this.identities.stream().map(i -> row("id", i.id(), "provider", i.provider(), "key",
				i.key(), "created_at", time(i.createdAt()), "last_login_at", time(i.lastLoginAt()))).toList());
		body.put("released_identifiers", this.releasedIdentifiers.stream().map(r -> row("provider", r.provider(),
				"shown_as", r.shownAs(), "reason", r.reason(), "released_at", time(r.releasedAt()))).toList());
		body.put("consents", this.consents.stream().map(c -> row("recorded_at", time(c.recordedAt()),
				"policy_version", c.policyVersion(), "purposes", c.purposes(), "data_categories", c.dataCategories(),
				"recipient", c.recipient(), "state", c.state(), "method", c.method())).toList());
		body.put("connected_apps", this.connectedApps.stream().map(a -> row("client_id", a.clientId(), "client_name",
				a.clientName(), "since", time(a.since()))).toList());
		body.put("sign_ins", this.signIns.stream().map(s -> row("at", time(s.at()), "method", s.method(), "network",
				s.network(), "success", s.success())).toList());
		body.put("sign_in_history_days", this.signInHistoryDays);
		body.put("sessions", this.sessions.stream().map(s -> row("ref", s.ref(), "created_at", time(s.createdAt()),
				"last_active_at", time(s.lastActiveAt()))).toList());
		body.put("complaints", this.complaints.stream().map(c -> row("number", c.number(), "state", c.state(),
				"method", c.method(), "opened_at", time(c.openedAt()), "first_response_at", time(c.firstResponseAt()),
				"closed_at", time(c.closedAt()))).toList());
		body.put("deletion", this.deletion == null ? null : row("requested_at", time(this.deletion.requestedAt()),
				"due_at", time(this.deletion.dueAt())));
		return body;
	}

	private static Map<String, Object> row(Object... pairs) {
		Map<String, Object> row = new LinkedHashMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			row.put((String) pairs[i], pairs[i + 1]);
		}
		return row;
	}

	private static String time(Instant instant) {
		return instant == null ? null : instant.toString();
	}

}
