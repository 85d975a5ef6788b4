-- The audit log: append-only and hash-chained. Each entry's hash is SHA-256 over its canonical form
-- (see AuditHashes), which includes the previous entry's hash, so editing, removing or inserting an entry
-- breaks the chain from that point on.
CREATE TABLE audit_entry (
    seq bigint NOT NULL,
    recorded_at timestamp with time zone NOT NULL,
    type varchar(64) NOT NULL,
    actor varchar(200),
    subject varchar(64),
    client_id varchar(100),
    details varchar(4000) NOT NULL,
    prev_hash char(64) NOT NULL,
    hash char(64) NOT NULL,
    PRIMARY KEY (seq)
);
CREATE INDEX ix_audit_entry_recorded_at ON audit_entry (recorded_at);

-- The chain's last entry. Every append locks this one row (SELECT ... FOR UPDATE) in the transaction
-- that inserts the entry, which orders appends across all nodes and commits entry and head together.
CREATE TABLE audit_chain_head (
    id int NOT NULL,
    seq bigint NOT NULL,
    hash char(64) NOT NULL,
    PRIMARY KEY (id)
);
INSERT INTO audit_chain_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Signed statements "the chain's entry <seq> has hash <hash>": a compact JWS (RS256) by the gateway's
-- signing key of the day. Rewriting the chain up to a checkpoint would need that key.
CREATE TABLE audit_checkpoint (
    seq bigint NOT NULL,
    hash char(64) NOT NULL,
    signed_at timestamp with time zone NOT NULL,
    kid varchar(64) NOT NULL,
    jws varchar(4000) NOT NULL,
    PRIMARY KEY (seq)
);
