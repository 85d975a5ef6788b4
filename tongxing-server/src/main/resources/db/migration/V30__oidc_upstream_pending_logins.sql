-- Upstream OpenID Connect logins between the redirect to the provider and its callback: in the database, not
-- in a node's memory, so any node can take the callback. Single use (deleted when taken), ten minutes at most.
CREATE TABLE oidc_upstream_pending_login (
    state varchar(100) NOT NULL,
    browser_binding varchar(100) NOT NULL,
    upstream_id varchar(40) NOT NULL,
    nonce varchar(100) NOT NULL,
    code_verifier varchar(128) NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    PRIMARY KEY (state)
);
CREATE INDEX ix_oidc_upstream_pending_login_expires ON oidc_upstream_pending_login (expires_at);
