-- Display data from upstream logins (never keys), and where a merged account went.
ALTER TABLE account_user ADD COLUMN picture_url varchar(1000);
ALTER TABLE account_user ADD COLUMN merged_into varchar(64);

-- Every link, merge and unlink, append-only: who, what, when, and how it was proved.
CREATE TABLE account_link_event (
    id varchar(64) NOT NULL,
    user_id varchar(64) NOT NULL,
    kind varchar(20) NOT NULL,
    provider varchar(40),
    key_hint varchar(64),
    other_user_id varchar(64),
    method varchar(40),
    occurred_at timestamp with time zone NOT NULL,
    PRIMARY KEY (id)
);
CREATE INDEX ix_account_link_event_user ON account_link_event (user_id);
