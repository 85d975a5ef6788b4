-- transfer: people brought in from another system by `import users` (JSON Lines, see README "Moving in").
-- One row per old system's user: the account it became, so that the same record imported again changes
-- nothing. Looked up by a keyed hash of the old id; the old id itself is cleared when the account is erased,
-- the hash stays so that re-running the old file does not bring an erased person back.
CREATE TABLE transfer_imported_person (
    old_id_hash varchar(64) NOT NULL,
    old_id varchar(200),
    account_id varchar(64) NOT NULL,
    record_sha256 varchar(64) NOT NULL,
    outcome varchar(20) NOT NULL,
    consent_policy_version varchar(100),
    consent_at timestamp with time zone,
    imported_at timestamp with time zone NOT NULL,
    PRIMARY KEY (old_id_hash)
);
CREATE INDEX ix_transfer_imported_person_account ON transfer_imported_person (account_id);

-- The sub a client already knew a person by: what its ID tokens, access tokens, introspection and userinfo
-- carry for that person instead of the account id. One person per (client, sub).
CREATE TABLE transfer_client_subject (
    account_id varchar(64) NOT NULL,
    client_id varchar(100) NOT NULL,
    subject varchar(255) NOT NULL,
    PRIMARY KEY (account_id, client_id),
    CONSTRAINT uq_transfer_client_subject UNIQUE (client_id, subject)
);

-- Where an import of one file stands (by the file's SHA-256): a crash resumes after the last committed line.
CREATE TABLE transfer_import_run (
    file_sha256 varchar(64) NOT NULL,
    lines_done bigint NOT NULL,
    started_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    finished_at timestamp with time zone,
    PRIMARY KEY (file_sha256)
);
