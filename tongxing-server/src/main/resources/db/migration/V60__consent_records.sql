-- Consent decisions, append-only (ISO/IEC TS 27560 in spirit): who, which policy text (version and hash),
-- which purposes and data, for which recipient client, when and how. Current state is the latest record.
CREATE TABLE consent_record (
    id varchar(64) NOT NULL,
    subject varchar(64) NOT NULL,
    policy_version varchar(40) NOT NULL,
    policy_text_sha256 varchar(64) NOT NULL,
    purposes varchar(1000) NOT NULL,
    data_categories varchar(1000) NOT NULL,
    recipient_client varchar(100),
    event_state varchar(20) NOT NULL,
    consent_type varchar(20) NOT NULL,
    method varchar(40) NOT NULL,
    recorded_at timestamp with time zone NOT NULL,
    PRIMARY KEY (id)
);
CREATE INDEX ix_consent_record_subject ON consent_record (subject, recorded_at);
