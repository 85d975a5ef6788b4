-- One table of browser logins between the redirect to an upstream and its callback, for every connector
-- (replacing wechat_login_state and oidc_upstream_pending_login): in the database so any node can take the
-- callback, bound to the browser by the hash of a value in its session, single use, ten minutes at most.
-- attributes: what the connector's callback needs (a JSON object of strings: scope, nonce, PKCE verifier, …).
CREATE TABLE login_pending_login (
    state varchar(100) NOT NULL,
    binding_hash varchar(64) NOT NULL,
    method varchar(80) NOT NULL,
    app varchar(80),
    attributes varchar(1000) NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    PRIMARY KEY (state)
);
CREATE INDEX ix_login_pending_login_expires ON login_pending_login (expires_at);

-- WeChat logins under way carry over as they are (their binding is already hashed; scope and purpose are
-- letters and underscores). OpenID Connect logins carry over in V121, which hashes their bindings.
INSERT INTO login_pending_login (state, binding_hash, method, app, attributes, expires_at)
SELECT state, binding_hash, 'wechat', appid, '{"scope":"' || scope || '","purpose":"' || purpose || '"}', expires_at
FROM wechat_login_state;

DROP TABLE wechat_login_state;
