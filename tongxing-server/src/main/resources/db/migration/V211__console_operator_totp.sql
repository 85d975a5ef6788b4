-- Operators' second factor: one TOTP secret per account, sealed (PersonalDataCipher; re-sealed by pii rekey),
-- confirmed once the operator typed a first code; last_step refuses a code used twice.
CREATE TABLE console_operator_totp (
    account_id VARCHAR(64) PRIMARY KEY,
    secret_sealed VARCHAR(1000) NOT NULL,
    confirmed_at TIMESTAMP WITH TIME ZONE,
    last_step BIGINT NOT NULL
);
