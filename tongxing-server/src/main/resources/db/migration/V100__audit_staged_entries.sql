-- Entries recorded inside a business transaction wait here. They are written in that transaction (so they
-- commit or roll back with the change they record) without touching the chain head; right after the commit the
-- node's appender links them into the chain and deletes them, in one transaction of its own. After a crash any
-- node's sweep links what is left. Each row carries a MAC under a key the database does not hold, so a row
-- slipped in through the database is never chained as the gateway's own.
CREATE TABLE audit_staged_entry (
    id varchar(32) NOT NULL,
    ordinal bigint NOT NULL,
    staged_at timestamp with time zone NOT NULL,
    recorded_at timestamp with time zone NOT NULL,
    type varchar(64) NOT NULL,
    actor varchar(200),
    subject varchar(64),
    client_id varchar(100),
    details varchar(4000) NOT NULL,
    mac char(64) NOT NULL,
    PRIMARY KEY (id)
);
CREATE INDEX ix_audit_staged_entry_staged_at ON audit_staged_entry (staged_at);
