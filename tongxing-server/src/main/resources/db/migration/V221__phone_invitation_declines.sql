-- "Not now" to the invitation to bind a phone after a WeChat sign-in (网络数据安全管理条例 Art. 22: no asking
-- again after a clear refusal): when the person last said it and how often. One row per account, erased with it.
CREATE TABLE phone_invitation_decline (
    user_id varchar(64) NOT NULL,
    declined_at timestamp with time zone NOT NULL,
    declines integer NOT NULL,
    PRIMARY KEY (user_id)
);
