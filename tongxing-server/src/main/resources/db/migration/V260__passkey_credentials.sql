-- Passkeys (WebAuthn credentials) a person added on the account page. The row's id is also the key of the
-- account identity ('passkey', id) that makes the passkey a way in and decides which account it signs in to
-- (it follows merges); user_handle is the account id the credential was created for (WebAuthn's user handle).
-- No private key is ever here: public_key_cose and attestation_object are what the authenticator made public.
CREATE TABLE passkey_credential (
    id VARCHAR(40) NOT NULL,
    credential_id VARCHAR(1400) NOT NULL,
    user_handle VARCHAR(64) NOT NULL,
    credential_type VARCHAR(32) NOT NULL,
    public_key_cose VARCHAR(4000) NOT NULL,
    signature_count BIGINT NOT NULL,
    uv_initialized BOOLEAN NOT NULL,
    backup_eligible BOOLEAN NOT NULL,
    backup_state BOOLEAN NOT NULL,
    transports VARCHAR(200) NOT NULL,
    attestation_object VARCHAR(8000) NOT NULL,
    attestation_client_data_json VARCHAR(4000),
    label_sealed VARCHAR(2000) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    last_used_at TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (id),
    CONSTRAINT uq_passkey_credential_id UNIQUE (credential_id)
);
CREATE INDEX ix_passkey_credential_user ON passkey_credential (user_handle);
