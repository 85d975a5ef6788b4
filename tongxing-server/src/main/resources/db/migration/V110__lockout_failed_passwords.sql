-- Failed-password throttling (lockout package): one row per (kind, address) and per (kind, name), keyed by a
-- keyed lookup hash (no address or name in clear). Shared by every node; no row is shared by unrelated callers.
CREATE TABLE lockout_failure (
    kind varchar(16) NOT NULL,
    key_hash varchar(128) NOT NULL,
    failures integer NOT NULL,
    window_started timestamp with time zone NOT NULL,
    lockouts integer NOT NULL,
    locked_until timestamp with time zone,
    updated_at timestamp with time zone NOT NULL,
    PRIMARY KEY (kind, key_hash)
);
CREATE INDEX ix_lockout_failure_updated ON lockout_failure (updated_at);
