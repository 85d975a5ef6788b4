-- The retention job looks for policy consents taken back (withdrawn, refused) before a cut-off, every hour on
-- every node: without this index that is a scan of every consent ever recorded.
CREATE INDEX ix_consent_record_taken_back ON consent_record (event_state, recorded_at);
