-- One row per text message a provider accepted, while its delivery receipt is awaited or kept: the provider and
-- its own id of the message (Tencent's SerialNo, Aliyun's BizId), nothing of the person (no number, no code).
-- A receipt sets outcome once (the providers may push it twice). Every node judges each provider's delivery
-- rate from these rows, so all nodes demote the same provider. Rows older than the retention are purged.
CREATE TABLE sms_delivery (
    provider varchar(20) NOT NULL,
    message_id varchar(100) NOT NULL,
    sent_at timestamp with time zone NOT NULL,
    -- null while awaited; delivered or failed from the receipt
    outcome varchar(10),
    -- the receipt's status code (Tencent errmsg, Aliyun err_code), e.g. DELIVRD
    receipt_code varchar(64),
    receipt_at timestamp with time zone,
    PRIMARY KEY (provider, message_id)
);
CREATE INDEX ix_sms_delivery_sent ON sms_delivery (provider, sent_at);
CREATE INDEX ix_sms_delivery_purge ON sms_delivery (sent_at);
