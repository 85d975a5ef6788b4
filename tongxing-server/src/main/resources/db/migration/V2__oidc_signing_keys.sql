-- Token signing keys. The private part is a JWE encrypted under the configured master key.
-- A key is active from activated_at until retired_at; a retired key's public part stays in the JWKS
-- until every token it signed has expired (publish_until).
CREATE TABLE oidc_signing_key (
    kid varchar(64) NOT NULL,
    algorithm varchar(16) NOT NULL,
    public_jwk varchar(4000) NOT NULL,
    private_jwe varchar(8000) NOT NULL,
    master_key_id varchar(64) NOT NULL,
    activated_at timestamp with time zone NOT NULL,
    retired_at timestamp with time zone DEFAULT NULL,
    publish_until timestamp with time zone DEFAULT NULL,
    PRIMARY KEY (kid)
);
