-- Follow-to-sign-in (关注公众号登录): one row per QR code shown to a browser waiting on a pending login
-- (login_pending_login, found here by the SHA-256 of its state, never the state itself). The node that takes
-- WeChat's subscribe/SCAN push records who scanned; the node the browser waits on reads it: the database is
-- the only place they meet. The openid is sealed; rows go when taken, or shortly after they expire.
CREATE TABLE wechat_follow_scene (
    scene VARCHAR(64) NOT NULL,
    state_digest VARCHAR(64) NOT NULL,
    appid VARCHAR(32) NOT NULL,
    ticket VARCHAR(512) NOT NULL,
    qr_url VARCHAR(512) NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    openid_sealed VARCHAR(1000),
    scan_event VARCHAR(16),
    scanned_at TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (scene),
    CONSTRAINT uq_wechat_follow_scene_state UNIQUE (state_digest)
);
CREATE INDEX ix_wechat_follow_scene_expires ON wechat_follow_scene (expires_at);

-- WeChat's pushes already handled, so a retry (WeChat sends an unanswered push three times) or a replay is
-- taken once across all nodes: the primary key decides. Keyed by a keyed hash of the appid, FromUserName and
-- CreateTime (WeChat's own rule for events, which have no MsgId); no openid in clear.
CREATE TABLE wechat_follow_message (
    message_hash VARCHAR(100) NOT NULL,
    received_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (message_hash)
);
CREATE INDEX ix_wechat_follow_message_received ON wechat_follow_message (received_at);
