package dev.tongxing.server.consent;

import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.audit.AuditTypes;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Collection;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every consent decision, append-only: the current state of a person's consent is their latest record.
 * Records refer to the exact policy text by version and hash; each is also an audit-log entry.
 */
@Service
public class ConsentRecords {

	private static final SecureRandom RANDOM = new SecureRandom();

	public enum State {

		GIVEN, REFUSED, WITHDRAWN

	}

	/**
	 * @param consentType {@code general}, or {@code separate} for what the law asks separate consent for
	 * (sharing with a third party, sensitive personal information)
	 * @param method how it was given, e.g. {@code native-app} (the app showed the policy), {@code dialog}
	 */
	public record Decision(String subject, PrivacyPolicy policy, Collection<String> purposes,
			Collection<String> dataCategories, String recipientClient, State state, String consentType,
			String method) {
	}

	private final JdbcClient jdbc;

	private final Clock clock;

	private final AuditLog audit;

	private final TransactionTemplate tx;

	/** The ISO/IEC TS 27560 fields that are the same for every record of this gateway. */
	private final ConsentRecordFields fields;

	ConsentRecords(JdbcClient jdbc, Clock clock, AuditLog audit, TransactionTemplate tx, ConsentRecordFields fields) {
		this.tx = tx;
		this.fields = fields;
		this.jdbc = jdbc;
		this.clock = clock;
		this.audit = audit;
	}

	/** Records a decision and its audit entry in one transaction (the caller's, if there is one). */
	public void record(Decision decision) {
		this.tx.executeWithoutResult(status -> insert(decision));
	}

	private void insert(Decision decision) {
		byte[] id = new byte[16];
		RANDOM.nextBytes(id);
		this.jdbc.sql("""
				INSERT INTO consent_record (id, subject, policy_version, policy_text_sha256, purposes, data_categories,
				    recipient_client, event_state, consent_type, method, recorded_at, schema_version, language,
				    controller_name, controller_contact, storage_location, jurisdiction, withdrawal_method, validity, actor)
				VALUES (:id, :s, :v, :h, :p, :d, :r, :st, :t, :m, :at, :schema, :lang, :cn, :cc, :loc, :jur, :wm, :val,
				    :actor)""")
			.param("id", Base64.getUrlEncoder().withoutPadding().encodeToString(id))
			.param("s", decision.subject())
			.param("v", decision.policy().version())
			.param("h", decision.policy().textSha256())
			.param("p", String.join(" ", decision.purposes()))
			.param("d", String.join(" ", decision.dataCategories()))
			.param("r", decision.recipientClient())
			.param("st", decision.state().name())
			.param("t", decision.consentType())
			.param("m", decision.method())
			.param("at", this.clock.instant().atOffset(ZoneOffset.UTC))
			.params(this.fields.of(decision.subject()))
			.update();
		this.audit.record(AuditEntry.of(switch (decision.state()) {
			case GIVEN -> AuditTypes.CONSENT_GRANTED;
			case REFUSED -> AuditTypes.CONSENT_REFUSED;
			case WITHDRAWN -> AuditTypes.CONSENT_WITHDRAWN;
		})
			.actor("user:" + decision.subject())
			.subject(decision.subject())
			.client(decision.recipientClient())
			.detail("policy_version", decision.policy().version())
			.detail("consent_type", decision.consentType())
			.detail("method", decision.method()));
	}

	/** A decision as kept, for the person's own copy of their data. */
	public record StoredDecision(java.time.Instant recordedAt, String policyVersion, String policyTextSha256,
			java.util.List<String> purposes, java.util.List<String> dataCategories, String recipientClient, State state,
			String consentType, String method) {
	}

	/** Every decision of the person, oldest first. */
	public java.util.List<StoredDecision> history(String subject) {
		return this.jdbc.sql("""
				SELECT recorded_at, policy_version, policy_text_sha256, purposes, data_categories, recipient_client,
				    event_state, consent_type, method
				FROM consent_record WHERE subject = :s ORDER BY recorded_at, id""")
			.param("s", subject)
			.query((rs, i) -> new StoredDecision(rs.getObject(1, java.time.OffsetDateTime.class).toInstant(),
					rs.getString(2), rs.getString(3), words(rs.getString(4)), words(rs.getString(5)), rs.getString(6),
					State.valueOf(rs.getString(7)), rs.getString(8), rs.getString(9)))
			.list();
	}

	private static java.util.List<String> words(String value) {
		return value == null || value.isBlank() ? java.util.List.of() : java.util.List.of(value.trim().split(" +"));
	}

	/** Whether the person's latest decision about the privacy policy takes consent back (withdrawn or refused). */
	public boolean policyConsentTakenBack(String subject) {
		return latestPolicyDecision(subject).filter(latest -> latest.state() != State.GIVEN).isPresent();
	}

	/** The policy version the person last accepted, if their latest general decision is a consent. */
	public Optional<String> acceptedPolicyVersion(String subject) {
		return latestPolicyDecision(subject).filter(latest -> latest.state() == State.GIVEN)
			.map(PolicyDecision::version);
	}

	private record PolicyDecision(String version, State state) {
	}

	/** The person's newest decision about the privacy policy itself (asked per sign-in and per token). */
	private Optional<PolicyDecision> latestPolicyDecision(String subject) {
		return this.jdbc.sql("""
				SELECT policy_version, event_state FROM consent_record
				WHERE subject = :s AND recipient_client IS NULL ORDER BY recorded_at DESC, id DESC
				FETCH FIRST 1 ROWS ONLY""")
			.param("s", subject)
			.query((rs, i) -> new PolicyDecision(rs.getString(1), State.valueOf(rs.getString(2))))
			.optional();
	}

}
