-- oidc: the pairwise subject identifiers (OpenID Connect Core §8.1) given to clients with subject-type: pairwise.
-- subject is base64url(HMAC-SHA256(sector_identifier, user_id)) under a key derived (HKDF) from the lookup-hash
-- key; kept once given, so a client's subs never change under it, and so a sub a client sends back (a
-- logout, an introspected token, an event) names its account by one indexed read. One sub per (client, person),
-- one person per (client, sub). Deleted with the account; a merge hands the merged account's to the survivor
-- where the survivor has none at that client.
CREATE TABLE oidc_pairwise_subject (
    client_id varchar(100) NOT NULL,
    user_id varchar(64) NOT NULL,
    subject varchar(64) NOT NULL,
    sector_identifier varchar(255) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    PRIMARY KEY (client_id, user_id),
    CONSTRAINT uq_oidc_pairwise_subject UNIQUE (client_id, subject)
);
CREATE INDEX ix_oidc_pairwise_subject_user ON oidc_pairwise_subject (user_id);
