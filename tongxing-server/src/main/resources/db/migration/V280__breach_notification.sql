-- Personal-data incidents (PIPL Art. 57): what happened, to which data, why, what was done, what people can
-- do and whom to ask, each text in Chinese and English (the notice is sent in the person's language).
CREATE TABLE breach_record (
    id varchar(40) NOT NULL,
    discovered_at timestamp with time zone NOT NULL,
    occurred_from timestamp with time zone,
    occurred_to timestamp with time zone,
    -- ids of the personal-data catalogue's items, comma-separated
    categories varchar(1000) NOT NULL,
    description_zh varchar(4000) NOT NULL,
    description_en varchar(4000) NOT NULL,
    cause_zh varchar(4000) NOT NULL,
    cause_en varchar(4000) NOT NULL,
    harm_zh varchar(4000) NOT NULL,
    harm_en varchar(4000) NOT NULL,
    measures_zh varchar(4000) NOT NULL,
    measures_en varchar(4000) NOT NULL,
    remedies_zh varchar(4000) NOT NULL,
    remedies_en varchar(4000) NOT NULL,
    contact varchar(400) NOT NULL,
    -- recorded, selecting, selected, notifying
    status varchar(16) NOT NULL,
    recorded_at timestamp with time zone NOT NULL,
    recorded_by varchar(200) NOT NULL,
    -- the selection's criteria, frozen when it begins (a resumed selection uses these, not new ones)
    selection_from timestamp with time zone,
    selection_to timestamp with time zone,
    selection_types varchar(2000),
    selection_clients varchar(2000),
    selection_categories varchar(1000),
    selection_started_at timestamp with time zone,
    selected_at timestamp with time zone,
    selected_by varchar(200),
    notices_started_at timestamp with time zone,
    notices_started_by varchar(200),
    PRIMARY KEY (id)
);

-- The people an incident touched and what became of their notices. Only account ids: the phone number is
-- looked up when the SMS goes out. SMS: waiting (not yet started), pending, queued (claimed by a sender,
-- not yet tried: safe to give back), sending (intent recorded, the provider is being asked: never tried
-- again automatically), sent, failed (the provider refused: known not sent), uncertain (a send interrupted
-- by a crash: perhaps delivered), no-phone. In-app: waiting, published, shown (the banner was displayed),
-- read (the person opened the notice).
CREATE TABLE breach_person (
    breach_id varchar(40) NOT NULL,
    account_id varchar(64) NOT NULL,
    reason varchar(400) NOT NULL,
    selected_at timestamp with time zone NOT NULL,
    sms_status varchar(16) NOT NULL,
    sms_claim varchar(40),
    sms_claimed_at timestamp with time zone,
    sms_attempted_at timestamp with time zone,
    sms_delivered_at timestamp with time zone,
    sms_failure varchar(400),
    inapp_status varchar(16) NOT NULL,
    inapp_published_at timestamp with time zone,
    inapp_shown_at timestamp with time zone,
    inapp_read_at timestamp with time zone,
    PRIMARY KEY (breach_id, account_id),
    CONSTRAINT fk_breach_person_record FOREIGN KEY (breach_id) REFERENCES breach_record (id)
);
CREATE INDEX ix_breach_person_sms ON breach_person (sms_status, breach_id);
CREATE INDEX ix_breach_person_claim ON breach_person (sms_claim);
CREATE INDEX ix_breach_person_account ON breach_person (account_id);

-- Reports to a regulator (CAC and others): the first one and any later ones.
CREATE TABLE breach_report (
    id varchar(40) NOT NULL,
    breach_id varchar(40) NOT NULL,
    reported_at timestamp with time zone NOT NULL,
    authority varchar(200) NOT NULL,
    report_reference varchar(200),
    reported_by varchar(200) NOT NULL,
    recorded_at timestamp with time zone NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT fk_breach_report_record FOREIGN KEY (breach_id) REFERENCES breach_record (id)
);
CREATE INDEX ix_breach_report_breach ON breach_report (breach_id);
