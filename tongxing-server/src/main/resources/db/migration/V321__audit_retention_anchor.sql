-- Where the chain begins once its oldest entries were deleted at the end of their retention
-- (tongxing.audit.retention): the last deleted entry's seq and hash, and a JWS by the gateway's signing key
-- stating them. Verification starts there, so deleting more than retention did, or moving the start by
-- hand, shows. Seq 0 and the genesis hash: nothing was ever deleted.
CREATE TABLE audit_retention_anchor (
    id int NOT NULL,
    seq bigint NOT NULL,
    hash char(64) NOT NULL,
    cutoff timestamp with time zone,
    anchored_at timestamp with time zone,
    jws varchar(4000),
    PRIMARY KEY (id)
);
INSERT INTO audit_retention_anchor (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
