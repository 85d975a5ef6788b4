-- A change of the bound phone number the person could not prove with a code to the old number (they lost
-- it): scheduled after tongxing.account.phone-change.lost-number-wait, cancellable until then, applied by a
-- job that claims each row with a conditional update. The numbers are sealed and cleared once the change is
-- applied, refused or cancelled; the row stays (ids and times only) as the change's record.
CREATE TABLE phone_change (
    id varchar(32) NOT NULL,
    user_id varchar(64) NOT NULL,
    -- user_id while scheduled, NULL afterwards: at most one scheduled change per account, on any database
    pending_user_id varchar(64),
    state varchar(12) NOT NULL,
    -- the link (account_identity id) of the number to replace, and both numbers, sealed
    old_identity_id varchar(64),
    old_phone_sealed varchar(2000),
    new_phone_sealed varchar(2000),
    requested_at timestamp with time zone NOT NULL,
    due_at timestamp with time zone NOT NULL,
    cancelled_at timestamp with time zone,
    cancelled_by varchar(100),
    finished_at timestamp with time zone,
    finished_by varchar(100),
    -- the notice to the old number: pending until sent (or refused by the provider, or given up)
    notice_state varchar(12) NOT NULL,
    notice_attempts integer NOT NULL,
    notice_next_at timestamp with time zone NOT NULL,
    notice_shown_at timestamp with time zone,
    -- the language of the page that asked, for the notice's words when the job sends it later
    notice_locale varchar(20) NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_phone_change_pending UNIQUE (pending_user_id)
);
CREATE INDEX ix_phone_change_due ON phone_change (state, due_at);
CREATE INDEX ix_phone_change_notice ON phone_change (notice_state, notice_next_at);
CREATE INDEX ix_phone_change_user ON phone_change (user_id);
