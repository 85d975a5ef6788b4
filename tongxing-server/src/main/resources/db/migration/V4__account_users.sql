-- One row per person. id is the opaque, stable `sub` every client sees.
CREATE TABLE account_user (
    id varchar(64) NOT NULL,
    display_name varchar(200),
    status varchar(20) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    PRIMARY KEY (id)
);

-- The ways a person signs in. (provider, provider_key) is unique: one external identity, one user.
CREATE TABLE account_identity (
    id varchar(64) NOT NULL,
    user_id varchar(64) NOT NULL REFERENCES account_user (id),
    provider varchar(40) NOT NULL,
    provider_key varchar(200) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    last_login_at timestamp with time zone,
    PRIMARY KEY (id),
    CONSTRAINT uq_account_identity UNIQUE (provider, provider_key)
);
CREATE INDEX ix_account_identity_user ON account_identity (user_id);
