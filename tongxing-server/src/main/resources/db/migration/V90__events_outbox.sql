-- Which clients ever received a user's data, and the `sub` each of them saw: the recipients of security
-- events (RISC account-purged must reach every one of them, even after their tokens were revoked).
CREATE TABLE events_recipient (
    user_id varchar(64) NOT NULL,
    client_id varchar(100) NOT NULL,
    subject varchar(255) NOT NULL,
    first_seen_at timestamp with time zone NOT NULL,
    PRIMARY KEY (user_id, client_id, subject)
);

-- The sign-in identifiers (by provider, never their values) a user has had bound, so binding another one
-- of the same kind is recognised as a change (RISC identifier-changed).
CREATE TABLE events_identifier_seen (
    user_id varchar(64) NOT NULL,
    provider varchar(40) NOT NULL,
    first_bound_at timestamp with time zone NOT NULL,
    PRIMARY KEY (user_id, provider)
);

-- Transactional outbox of Security Event Tokens and back-channel logout tokens. A row is written in the
-- transaction of the change it reports; workers on any node claim due rows with a lease, deliver them and
-- record the outcome. The row's id is the token's jti, so every redelivery carries the same jti.
CREATE TABLE events_outbox (
    id varchar(64) NOT NULL,
    kind varchar(16) NOT NULL,
    event_type varchar(200) NOT NULL,
    client_id varchar(100) NOT NULL,
    user_id varchar(64),
    txn varchar(64),
    claims varchar(4000) NOT NULL,
    status varchar(16) NOT NULL,
    attempts integer NOT NULL,
    created_at timestamp with time zone NOT NULL,
    queued_at timestamp with time zone NOT NULL,
    next_attempt_at timestamp with time zone NOT NULL,
    lease_owner varchar(64),
    lease_until timestamp with time zone,
    last_attempt_at timestamp with time zone,
    last_http_status integer,
    last_error varchar(500),
    finished_at timestamp with time zone,
    PRIMARY KEY (id)
);
CREATE INDEX ix_events_outbox_due ON events_outbox (status, next_attempt_at);
CREATE INDEX ix_events_outbox_user ON events_outbox (user_id);
