-- A deletion the person did not ask for (the withdrawn-consent rule, an operator) is announced to them first
-- (PIPL Art. 47; the cooling-off is their time to keep the account). notice_status: pending (to send), sending
-- (claimed and being sent: never sent twice, a crash leaves it so), sent, no-channel, refused, uncertain;
-- NULL for the person's own requests, which need no notice.
ALTER TABLE deletion_request ADD COLUMN notice_status varchar(16);
ALTER TABLE deletion_request ADD COLUMN notice_at timestamp with time zone;
CREATE INDEX ix_deletion_request_notice ON deletion_request (notice_status);
