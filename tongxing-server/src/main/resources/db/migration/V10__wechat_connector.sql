-- WeChat apps as imported from configuration; the secret is encrypted under the master key.
CREATE TABLE wechat_app (
    appid varchar(32) NOT NULL,
    kind varchar(20) NOT NULL,
    secret_enc varchar(2000) NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    PRIMARY KEY (appid)
);

-- Every code is sent to WeChat once, whichever node sees it (double callbacks, client retries): the
-- first request claims the row; any later one is refused without calling WeChat (which would say 40163).
CREATE TABLE wechat_code_exchange (
    code_hash varchar(64) NOT NULL,
    appid varchar(32) NOT NULL,
    status varchar(12) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    PRIMARY KEY (code_hash)
);
CREATE INDEX ix_wechat_code_exchange_created ON wechat_code_exchange (created_at);

-- App access tokens from stable_token, shared by all nodes so none evicts another's.
CREATE TABLE wechat_app_token (
    appid varchar(32) NOT NULL,
    token_enc varchar(4000) NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    PRIMARY KEY (appid)
);

-- The state of a browser login sent to WeChat, bound to that browser's session; single use.
CREATE TABLE wechat_login_state (
    state varchar(64) NOT NULL,
    binding_hash varchar(64) NOT NULL,
    appid varchar(32) NOT NULL,
    scope varchar(32) NOT NULL,
    purpose varchar(16) NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    PRIMARY KEY (state)
);
