-- account: identifiers an account lost because they had passed to someone else (a recycled phone number, 二次号).
-- The account keeps everything else; its page tells its owner which identifier went (shown_as_sealed: the masked identifier,
-- never the key) and why (reason: carrier-signal or inactive). Deleted with the account.
CREATE TABLE account_released_identifier (
    id varchar(64) NOT NULL,
    user_id varchar(64) NOT NULL,
    provider varchar(40) NOT NULL,
    shown_as_sealed varchar(2000),
    reason varchar(40) NOT NULL,
    released_at timestamp with time zone NOT NULL,
    PRIMARY KEY (id)
);
CREATE INDEX ix_account_released_identifier_user ON account_released_identifier (user_id);
