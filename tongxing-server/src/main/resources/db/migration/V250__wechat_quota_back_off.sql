-- WeChat APIs the gateway is backing off for an app after WeChat's own quota errors (45011 per-minute limit,
-- 45009 daily quota): shared by every node, kept over restarts (a restart must not hammer a spent daily
-- quota), listed and lifted by operators. A row whose until_at has passed is over and may be deleted.
CREATE TABLE wechat_quota_back_off (
    appid VARCHAR(64) NOT NULL,
    api VARCHAR(32) NOT NULL,
    until_at TIMESTAMP WITH TIME ZONE NOT NULL,
    errcode INTEGER NOT NULL,
    started_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (appid, api)
);
