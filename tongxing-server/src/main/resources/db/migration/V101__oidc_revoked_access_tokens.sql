-- Self-contained (JWT) access tokens that were revoked before they expired, by jti. A row lives only as long
-- as its token would have (expires_at); every node keeps the live ones in memory and reads what is new
-- (revoked_at) twice a second, so a revocation on one node is obeyed by all within a second.
CREATE TABLE oidc_revoked_access_token (
    jti varchar(64) NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone NOT NULL,
    PRIMARY KEY (jti)
);
CREATE INDEX ix_oidc_revoked_access_token_revoked_at ON oidc_revoked_access_token (revoked_at);
CREATE INDEX ix_oidc_revoked_access_token_expires_at ON oidc_revoked_access_token (expires_at);
