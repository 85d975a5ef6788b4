-- The age bracket of each account, when age checks are on (PIPL Art. 31; 未成年人保护法 Art. 72): where it came
-- from (self-declared or a verified source), and for a child under 14 the guardian who consented (a keyed digest
-- of the guardian's phone, as the consent record's actor) and when. One row per account, erased with it.
CREATE TABLE minor_account (
    user_id varchar(64) NOT NULL,
    age_bracket varchar(20) NOT NULL,
    source varchar(40) NOT NULL,
    declared_at timestamp with time zone NOT NULL,
    guardian_actor varchar(120),
    guardian_consented_at timestamp with time zone,
    PRIMARY KEY (user_id)
);
