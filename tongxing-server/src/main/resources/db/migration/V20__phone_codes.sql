-- One row per code sent by SMS. Codes, phone numbers and client addresses are stored only as keyed
-- digests (HMAC-SHA256 under phone_digest_key): enough to find a number's latest code and to count sends,
-- never to read a number back. Rows older than a day (the longest send-limit window) are purged.
CREATE TABLE phone_code (
    id varchar(32) NOT NULL,
    phone_digest varchar(64) NOT NULL,
    client_ip_digest varchar(64) NOT NULL,
    code_digest varchar(64) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    failed_attempts int NOT NULL,
    -- active, used, dead (too many wrong tries) or replaced (a newer code was sent)
    state varchar(12) NOT NULL,
    PRIMARY KEY (id)
);
CREATE INDEX ix_phone_code_phone ON phone_code (phone_digest, created_at);
CREATE INDEX ix_phone_code_ip ON phone_code (client_ip_digest, created_at);
CREATE INDEX ix_phone_code_created ON phone_code (created_at);

-- One row per phone number or client address that asked for a code: locked (SELECT ... FOR UPDATE) while
-- a node checks the send limits, so two nodes cannot both let the same number through.
CREATE TABLE phone_send_gate (
    gate varchar(80) NOT NULL,
    used_at timestamp with time zone NOT NULL,
    PRIMARY KEY (gate)
);

-- The digest key, random, encrypted under the master key (a compact JWE naming the master key's id).
CREATE TABLE phone_digest_key (
    id varchar(20) NOT NULL,
    key_jwe varchar(1000) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    PRIMARY KEY (id)
);
