package dev.tongxing.server.consent;

import dev.tongxing.server.oidc.OidcProperties;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * A person's copy of each consent record (ISO/IEC TS 27560 receipt): the receipt id and schema version the
 * standard requires, and the record's mandatory fields in its four sections (header, processing, parties,
 * events). Read straight from the append-only records, only by their own subject.
 */
@Service
class ConsentReceipts {

	/** One line of the list on {@code /account/consents}. */
	record Summary(String id, java.time.ZonedDateTime recordedAt, String state, String consentType, String recipientClient) {
	}

	private final JdbcClient jdbc;

	private final String issuer;

	ConsentReceipts(JdbcClient jdbc, OidcProperties oidc) {
		this.jdbc = jdbc;
		this.issuer = oidc.issuer();
	}

	List<Summary> list(String subject) {
		return this.jdbc.sql("""
				SELECT id, recorded_at, event_state, consent_type, recipient_client FROM consent_record
				WHERE subject = :s ORDER BY recorded_at DESC, id DESC""")
			.param("s", subject)
			.query((rs, i) -> new Summary(rs.getString(1), rs.getObject(2, OffsetDateTime.class).atZoneSameInstant(PrivacyPolicies.CHINA),
					rs.getString(3), rs.getString(4), rs.getString(5)))
			.list();
	}

	/** The receipt of the subject's record {@code id}; empty when there is none or it is someone else's. */
	Optional<Map<String, Object>> receipt(String subject, String id) {
		return this.jdbc.sql("""
				SELECT id, subject, policy_version, policy_text_sha256, purposes, data_categories, recipient_client,
				    event_state, consent_type, method, recorded_at, schema_version, language, controller_name,
				    controller_contact, storage_location, jurisdiction, withdrawal_method, validity, actor
				FROM consent_record WHERE id = :id AND subject = :s""")
			.param("id", id)
			.param("s", subject)
			.query((rs, i) -> {
				Map<String, Object> header = new LinkedHashMap<>();
				header.put("schema_version", rs.getString("schema_version"));
				header.put("record_id", rs.getString("id"));
				header.put("pii_principal_id", rs.getString("subject"));
				Map<String, Object> notice = new LinkedHashMap<>();
				notice.put("uri", this.issuer + "/privacy/policy?version=" + rs.getString("policy_version"));
				notice.put("version", rs.getString("policy_version"));
				notice.put("text_sha256", rs.getString("policy_text_sha256"));
				Map<String, Object> processing = new LinkedHashMap<>();
				processing.put("privacy_notice", notice);
				processing.put("language", rs.getString("language"));
				processing.put("purposes", words(rs.getString("purposes")));
				processing.put("pii_categories", words(rs.getString("data_categories")));
				processing.put("storage_locations", List.of(rs.getString("storage_location")));
				// retention differs per item of personal information; the published list states each one
				processing.put("retention_period", this.issuer + "/privacy/personal-information");
				processing.put("jurisdiction", rs.getString("jurisdiction"));
				processing.put("withdrawal_method", rs.getString("withdrawal_method"));
				Map<String, Object> controller = new LinkedHashMap<>();
				controller.put("party_type", "pii-controller");
				controller.put("name", rs.getString("controller_name"));
				controller.put("contact", rs.getString("controller_contact"));
				Map<String, Object> parties = new LinkedHashMap<>();
				parties.put("pii_controllers", List.of(controller));
				String recipient = rs.getString("recipient_client");
				parties.put("recipient_third_parties", recipient == null ? List.of()
						: List.of(Map.of("party_type", "third-party", "id", recipient,
								"list", this.issuer + "/privacy/third-parties")));
				Map<String, Object> event = new LinkedHashMap<>();
				event.put("event_time", rs.getObject("recorded_at", OffsetDateTime.class).toInstant().toString());
				event.put("validity_duration", rs.getString("validity"));
				event.put("entity_id", rs.getString("actor"));
				event.put("event_type", rs.getString("consent_type"));
				event.put("collection_method", rs.getString("method"));
				event.put("event_state", rs.getString("event_state").toLowerCase(Locale.ROOT));
				Map<String, Object> receipt = new LinkedHashMap<>();
				receipt.put("receipt_id", "receipt-" + rs.getString("id"));
				receipt.put("schema_version", rs.getString("schema_version"));
				receipt.put("header", header);
				receipt.put("processing", processing);
				receipt.put("parties", parties);
				receipt.put("events", List.of(event));
				return receipt;
			})
			.optional();
	}

	private static List<String> words(String value) {
		return value == null || value.isBlank() ? List.of() : List.of(value.trim().split(" +"));
	}

}
