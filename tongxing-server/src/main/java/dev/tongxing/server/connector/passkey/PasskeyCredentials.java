package dev.tongxing.server.connector.passkey;

import dev.tongxing.server.crypto.PersonalDataCipher;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.web.webauthn.api.AuthenticatorTransport;
import org.springframework.security.web.webauthn.api.Bytes;
import org.springframework.security.web.webauthn.api.CredentialRecord;
import org.springframework.security.web.webauthn.api.ImmutableCredentialRecord;
import org.springframework.security.web.webauthn.api.ImmutablePublicKeyCose;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialType;
import org.springframework.security.web.webauthn.management.UserCredentialRepository;
import org.springframework.stereotype.Component;

/**
 * The passkeys people added, in {@code passkey_credential}: what Spring Security's relying party reads and
 * writes while it verifies a ceremony, and what the account page lists. The label a person gave is sealed;
 * the public key and attestation are public by nature and kept as the authenticator made them.
 */
@Component
class PasskeyCredentials implements UserCredentialRepository {

	private static final String COLUMNS = """
			id, credential_id, user_handle, credential_type, public_key_cose, signature_count, uv_initialized,
			backup_eligible, backup_state, transports, attestation_object, attestation_client_data_json,
			label_sealed, created_at, last_used_at""";

	private final JdbcClient jdbc;

	private final PersonalDataCipher cipher;

	private final Clock clock;

	PasskeyCredentials(JdbcClient jdbc, PersonalDataCipher cipher, Clock clock) {
		this.jdbc = jdbc;
		this.cipher = cipher;
		this.clock = clock;
	}

	/**
	 * A passkey as the account page and the data export show it: never its key material.
	 * @param id the row's own id, also the key of the account identity that makes it a way in
	 */
	record Passkey(String id, String label, Instant createdAt, Instant lastUsedAt, Set<String> transports,
			boolean synced) {
	}

	/** The user handle of an account: its id, as WebAuthn carries it. */
	static Bytes userHandle(String accountId) {
		return new Bytes(accountId.getBytes(StandardCharsets.UTF_8));
	}

	static String accountIdOf(Bytes userHandle) {
		return new String(userHandle.getBytes(), StandardCharsets.UTF_8);
	}

	/** New credentials are inserted with a fresh id; known ones (after a sign-in) get their counter and use. */
	@Override
	public void save(CredentialRecord record) {
		int updated = this.jdbc.sql("""
				UPDATE passkey_credential SET signature_count = :count, backup_state = :bs, last_used_at = :used
				WHERE credential_id = :cid""")
			.param("count", record.getSignatureCount())
			.param("bs", record.isBackupState())
			.param("used", time(record.getLastUsed()))
			.param("cid", record.getCredentialId().toBase64UrlString())
			.update();
		if (updated > 0) {
			return;
		}
		this.jdbc.sql("INSERT INTO passkey_credential (" + COLUMNS + """
				) VALUES (:id, :cid, :user, :type, :key, :count, :uv, :be, :bs, :transports, :attestation, :clientData,
				:label, :created, NULL)""")
			.param("id", UUID.randomUUID().toString())
			.param("cid", record.getCredentialId().toBase64UrlString())
			.param("user", accountIdOf(record.getUserEntityUserId()))
			.param("type", record.getCredentialType() == null ? PublicKeyCredentialType.PUBLIC_KEY.getValue()
					: record.getCredentialType().getValue())
			.param("key", new Bytes(record.getPublicKey().getBytes()).toBase64UrlString())
			.param("count", record.getSignatureCount())
			.param("uv", record.isUvInitialized())
			.param("be", record.isBackupEligible())
			.param("bs", record.isBackupState())
			.param("transports",
					record.getTransports().stream().map(AuthenticatorTransport::getValue).sorted().collect(Collectors.joining(" ")))
			.param("attestation", record.getAttestationObject() == null ? "" : record.getAttestationObject().toBase64UrlString())
			.param("clientData", record.getAttestationClientDataJSON() == null ? null
					: record.getAttestationClientDataJSON().toBase64UrlString())
			.param("label", this.cipher.seal(record.getLabel()))
			.param("created", time(this.clock.instant()))
			.update();
	}

	@Override
	public @Nullable CredentialRecord findByCredentialId(Bytes credentialId) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM passkey_credential WHERE credential_id = :cid")
			.param("cid", credentialId.toBase64UrlString())
			.query((rs, i) -> record(rs))
			.optional()
			.orElse(null);
	}

	@Override
	public List<CredentialRecord> findByUserId(Bytes userId) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM passkey_credential WHERE user_handle = :user")
			.param("user", accountIdOf(userId))
			.query((rs, i) -> record(rs))
			.list();
	}

	@Override
	public void delete(Bytes credentialId) {
		this.jdbc.sql("DELETE FROM passkey_credential WHERE credential_id = :cid")
			.param("cid", credentialId.toBase64UrlString())
			.update();
	}

	/** The row id of a credential, if it is known here. */
	Optional<String> idOf(Bytes credentialId) {
		return this.jdbc.sql("SELECT id FROM passkey_credential WHERE credential_id = :cid")
			.param("cid", credentialId.toBase64UrlString())
			.query(String.class)
			.optional();
	}

	/** The passkeys with these ids, oldest first. */
	List<Passkey> list(Collection<String> ids) {
		if (ids.isEmpty()) {
			return List.of();
		}
		return this.jdbc.sql("""
				SELECT id, label_sealed, created_at, last_used_at, transports, backup_state FROM passkey_credential
				WHERE id IN (:ids) ORDER BY created_at, id""")
			.param("ids", ids)
			.query((rs, i) -> new Passkey(rs.getString("id"), this.cipher.open(rs.getString("label_sealed")),
					instant(rs, "created_at"), instant(rs, "last_used_at"), transports(rs.getString("transports")),
					rs.getBoolean("backup_state")))
			.list();
	}

	Optional<Passkey> find(String id) {
		return list(List.of(id)).stream().findFirst();
	}

	void rename(String id, String label) {
		this.jdbc.sql("UPDATE passkey_credential SET label_sealed = :label WHERE id = :id")
			.param("label", this.cipher.seal(label))
			.param("id", id)
			.update();
	}

	/** @return whether it was there */
	boolean remove(String id) {
		return this.jdbc.sql("DELETE FROM passkey_credential WHERE id = :id").param("id", id).update() > 0;
	}

	/** Every passkey created for these accounts (their user handles), whoever holds its way in now. */
	List<String> idsCreatedFor(Collection<String> accountIds) {
		if (accountIds.isEmpty()) {
			return List.of();
		}
		return this.jdbc.sql("SELECT id FROM passkey_credential WHERE user_handle IN (:users)")
			.param("users", accountIds)
			.query(String.class)
			.list();
	}

	private CredentialRecord record(ResultSet rs) throws SQLException {
		String clientData = rs.getString("attestation_client_data_json");
		ImmutableCredentialRecord.ImmutableCredentialRecordBuilder builder = ImmutableCredentialRecord.builder()
			.credentialType(PublicKeyCredentialType.valueOf(rs.getString("credential_type")))
			.credentialId(Bytes.fromBase64(rs.getString("credential_id")))
			.userEntityUserId(userHandle(rs.getString("user_handle")))
			.publicKey(new ImmutablePublicKeyCose(Bytes.fromBase64(rs.getString("public_key_cose")).getBytes()))
			.signatureCount(rs.getLong("signature_count"))
			.uvInitialized(rs.getBoolean("uv_initialized"))
			.transports(transports(rs.getString("transports")).stream()
				.map(AuthenticatorTransport::valueOf)
				.collect(Collectors.toUnmodifiableSet()))
			.backupEligible(rs.getBoolean("backup_eligible"))
			.backupState(rs.getBoolean("backup_state"))
			.attestationObject(Bytes.fromBase64(rs.getString("attestation_object")))
			.attestationClientDataJSON(clientData == null ? null : Bytes.fromBase64(clientData))
			.label(this.cipher.open(rs.getString("label_sealed")))
			.created(instant(rs, "created_at"));
		Instant used = instant(rs, "last_used_at");
		if (used != null) {
			builder.lastUsed(used);
		}
		return builder.build();
	}

	private static Set<String> transports(String stored) {
		return stored == null || stored.isBlank() ? Set.of()
				: Arrays.stream(stored.split(" ")).collect(Collectors.toUnmodifiableSet());
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return value == null ? null : value.toInstant();
	}

	private static OffsetDateTime time(Instant instant) {
		return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
	}

}
