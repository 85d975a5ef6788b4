package dev.tongxing.server.consent;

import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.audit.AuditTypes;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
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

	/** Why the data is processed, as consent records spell it. */
	public enum Purpose {

		LOGIN("login"), ACCOUNT_SECURITY("account-security"), ACCOUNT_RECOVERY("account-recovery"),
		THIRD_PARTY_PROVISION("third-party-provision"),
		/** Providing personal information to a recipient outside mainland China (PIPL Art. 38–39). */
		CROSS_BORDER_TRANSFER("cross-border-transfer"),
		/** The processing of a child's personal information as a whole, which a guardian consents to. */
		CHILD_ACCOUNT("child-account");

		private final String value;

		Purpose(String value) {
			this.value = value;
		}

		public String value() {
			return this.value;
		}

	}

	/** {@code general}, or {@code separate} for what the law asks separate consent for (sharing, sensitive data). */
	public enum ConsentType {

		GENERAL("general"), SEPARATE("separate"),
		/** A guardian's consent for a child under 14 (PIPL Art. 31). */
		GUARDIAN("guardian");

		private final String value;

		ConsentType(String value) {
			this.value = value;
		}

		public String value() {
			return this.value;
		}

	}

	/** How a decision was made. */
	public enum Method {

		/** The privacy-policy or client-consent dialog. */
		DIALOG("dialog"),
		/** The dialog, with the second confirmation separate consent takes. */
		DIALOG_CONFIRMED("dialog-confirmed"),
		/** A native app showed the policy and sent the version accepted. */
		NATIVE_APP("native-app"),
		/** The person on their account's consent page. */
		SELF_SERVICE("self-service"),
		/** A guardian, identified by a code sent to their phone, for a child under 14. */
		GUARDIAN_PHONE_CODE("guardian-phone-code"),
		/**
		 * The separate notice's own box, ticked on the page that collects the data before anything is typed or
		 * sent ({@link SeparateNotice}).
		 */
		SEPARATE_NOTICE("separate-notice");

		private final String value;

		Method(String value) {
			this.value = value;
		}

		public String value() {
			return this.value;
		}

	}

	/** The data categories of the records the gateway writes itself, one spelling each. */
	public static final class Categories {

		/** What a browser login makes known (the dialog's policy consent). */
		public static final String LOGIN_IDENTIFIERS = "login-identifiers";

		public static final String PROFILE = "profile";

		public static final String PHONE_NUMBER = "phone-number";

		/** What any app receives: the person's id at it. */
		public static final String SUBJECT_IDENTIFIER = "subject-identifier";

		private Categories() {
		}

	}

	/**
	 * One decision, built by name: {@code Decision.of(subject, policy, State.GIVEN).purposes(...)...build()}.
	 * @param recipientClient the app the data goes to, for third-party provision; null otherwise
	 */
	public record Decision(String subject, PrivacyPolicy policy, List<Purpose> purposes, List<String> dataCategories,
			String recipientClient, State state, ConsentType consentType, Method method, SeparateNotice notice,
			String actor) {

		public Decision {
			purposes = List.copyOf(purposes);
			dataCategories = List.copyOf(dataCategories);
		}

		public static Builder of(String subject, PrivacyPolicy policy, State state) {
			return new Builder(subject, policy, state);
		}

		/**
		 * Consent to the privacy policy itself (login and account security), given, refused or withdrawn.
		 * @param dataCategories what the login makes known ({@link Categories#LOGIN_IDENTIFIERS},
		 * {@link Categories#PROFILE} for the browser dialog; a connector's own for native apps)
		 */
		public static Decision policy(String subject, PrivacyPolicy policy, State state, Collection<String> dataCategories,
				Method method) {
			return of(subject, policy, state).purposes(Purpose.LOGIN, Purpose.ACCOUNT_SECURITY)
				.dataCategories(dataCategories)
				.by(method)
				.build();
		}

		public List<String> purposeValues() {
			return this.purposes.stream().map(Purpose::value).toList();
		}

	}

	/** Builds a {@link Decision}; general consent with no recipient unless said otherwise. */
	public static final class Builder {

		private final String subject;

		private final PrivacyPolicy policy;

		private final State state;

		private List<Purpose> purposes = List.of();

		private List<String> dataCategories = List.of();

		private String recipientClient;

		private ConsentType consentType = ConsentType.GENERAL;

		private Method method;

		private SeparateNotice notice;

		private String actor;

		private Builder(String subject, PrivacyPolicy policy, State state) {
			this.subject = subject;
			this.policy = policy;
			this.state = state;
		}

		public Builder purposes(Purpose... purposes) {
			this.purposes = List.of(purposes);
			return this;
		}

		public Builder dataCategories(Collection<String> dataCategories) {
			this.dataCategories = List.copyOf(dataCategories);
			return this;
		}

		/** Third-party provision to this app: separate consent. */
		public Builder recipient(String clientId) {
			this.recipientClient = clientId;
			this.consentType = ConsentType.SEPARATE;
			return this;
		}

		public Builder separate() {
			this.consentType = ConsentType.SEPARATE;
			return this;
		}

		/** Separate consent given to this notice (PIPL Art. 30): its text versions go into the record. */
		public Builder notice(SeparateNotice notice) {
			this.notice = notice;
			this.consentType = ConsentType.SEPARATE;
			return this;
		}

		/**
		 * Someone other than the person decided, e.g. {@code guardian:<phone digest>} for a child under 14
		 * (PIPL Art. 31): the record's actor; the person's own decisions leave it unset ({@code user:<subject>}).
		 */
		public Builder actor(String actor) {
			this.actor = actor;
			return this;
		}

		/** A guardian's consent for the child: the guardian is the actor. */
		public Builder guardian(String actor) {
			this.actor = actor;
			this.consentType = ConsentType.GUARDIAN;
			return this;
		}

		public Builder by(Method method) {
			this.method = method;
			return this;
		}

		public Decision build() {
			if (this.method == null) {
				throw new IllegalStateException("a consent decision says how it was made");
			}
			return new Decision(this.subject, this.policy, this.purposes, this.dataCategories, this.recipientClient,
					this.state, this.consentType, this.method, this.notice, this.actor);
		}

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
				    controller_name, controller_contact, storage_location, jurisdiction, withdrawal_method, validity, actor,
				    notice_id, necessity_text_version, impact_text_version)
				VALUES (:id, :s, :v, :h, :p, :d, :r, :st, :t, :m, :at, :schema, :lang, :cn, :cc, :loc, :jur, :wm, :val,
				    :actor, :nid, :nv, :iv)""")
			.param("id", Base64.getUrlEncoder().withoutPadding().encodeToString(id))
			.param("s", decision.subject())
			.param("v", decision.policy().version())
			.param("h", decision.policy().textSha256())
			.param("p", String.join(" ", decision.purposeValues()))
			.param("d", String.join(" ", decision.dataCategories()))
			.param("r", decision.recipientClient())
			.param("st", decision.state().name())
			.param("t", decision.consentType().value())
			.param("m", decision.method().value())
			.param("at", this.clock.instant().atOffset(ZoneOffset.UTC))
			.params(this.fields.of(decision.subject()))
			.param("actor", decision.actor() == null ? "user:" + decision.subject() : decision.actor())
			.param("nid", decision.notice() == null ? null : decision.notice().id())
			.param("nv", decision.notice() == null ? null : decision.notice().necessityVersion())
			.param("iv", decision.notice() == null ? null : decision.notice().impactVersion())
			.update();
		this.audit.record(AuditEntry.of(switch (decision.state()) {
			case GIVEN -> AuditTypes.CONSENT_GRANTED;
			case REFUSED -> AuditTypes.CONSENT_REFUSED;
			case WITHDRAWN -> AuditTypes.CONSENT_WITHDRAWN;
		})
			.actor(decision.actor() == null ? "user:" + decision.subject() : decision.actor())
			.subject(decision.subject())
			.client(decision.recipientClient())
			.detail("policy_version", decision.policy().version())
			.detail("consent_type", decision.consentType().value())
			.detail("method", decision.method().value()));
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

	/**
	 * Whether the person's latest decision about this client is a consent that covers sending their data abroad
	 * to it: a later withdrawal or refusal (of the app, or of the policy's provision to it) ends it.
	 */
	public boolean crossBorderConsented(String subject, String clientId) {
		return this.jdbc.sql("""
				SELECT event_state, purposes FROM consent_record
				WHERE subject = :s AND recipient_client = :c
				ORDER BY recorded_at DESC, id DESC
				FETCH FIRST 1 ROWS ONLY""")
			.param("s", subject)
			.param("c", clientId)
			.query((rs, i) -> State.valueOf(rs.getString(1)) == State.GIVEN
					&& words(rs.getString(2)).contains(Purpose.CROSS_BORDER_TRANSFER.value()))
			.optional()
			.orElse(false);
	}

	/**
	 * People whose latest decision about the privacy policy took consent back (withdrawn or refused) before
	 * {@code cutoff}, and who have not decided since; at most {@code limit}.
	 */
	java.util.List<String> policyConsentTakenBackBefore(java.time.Instant cutoff, int limit) {
		return this.jdbc.sql("""
				SELECT c.subject FROM consent_record c
				WHERE c.recipient_client IS NULL AND c.consent_type = 'general'
				  AND c.event_state IN ('WITHDRAWN', 'REFUSED') AND c.recorded_at < :cutoff
				  AND NOT EXISTS (SELECT 1 FROM consent_record n
				      WHERE n.subject = c.subject AND n.recipient_client IS NULL AND n.consent_type = 'general'
				        AND (n.recorded_at > c.recorded_at OR (n.recorded_at = c.recorded_at AND n.id > c.id)))
				ORDER BY c.recorded_at
				FETCH FIRST :limit ROWS ONLY""")
			.param("cutoff", cutoff.atOffset(java.time.ZoneOffset.UTC))
			.param("limit", limit)
			.query(String.class)
			.list();
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

	/**
	 * The person's newest decision about the privacy policy itself (asked per sign-in and per token): a general
	 * one, so that a separate consent given since (the phone number's) is not taken for the policy's.
	 */
	private Optional<PolicyDecision> latestPolicyDecision(String subject) {
		return this.jdbc.sql("""
				SELECT policy_version, event_state FROM consent_record
				WHERE subject = :s AND recipient_client IS NULL AND consent_type = 'general'
				ORDER BY recorded_at DESC, id DESC
				FETCH FIRST 1 ROWS ONLY""")
			.param("s", subject)
			.query((rs, i) -> new PolicyDecision(rs.getString(1), State.valueOf(rs.getString(2))))
			.optional();
	}

}
