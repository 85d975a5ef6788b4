-- 未成年人网络保护条例 Art. 35: an incident that touched minors is told to them and to their guardians, and
-- reported with how many minors it touched. Recorded when the person is selected: their age bracket if a minor
-- (under-14, 14-17), the guardian who consented for a child under 14 ("guardian:<keyed digest of the phone>"),
-- and when that guardian opened the notice on their dashboard.
ALTER TABLE breach_person ADD COLUMN minor varchar(16);
ALTER TABLE breach_person ADD COLUMN guardian_actor varchar(200);
ALTER TABLE breach_person ADD COLUMN guardian_read_at timestamp with time zone;
