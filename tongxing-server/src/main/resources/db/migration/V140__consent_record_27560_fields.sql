-- The fields ISO/IEC TS 27560 makes mandatory that consent records lacked: schema version, the language the
-- person read, the controller (name and contact), where the data is stored, the jurisdiction, how to withdraw,
-- how long the consent holds and who acted (the person, or e.g. a guardian). Earlier rows get what was true
-- for them where it is known (China, the self-service page, until withdrawn, the person), and say
-- 'und' / 'not recorded' where it is not.
ALTER TABLE consent_record ADD COLUMN schema_version varchar(40) DEFAULT 'ISO/IEC TS 27560:2023' NOT NULL;
ALTER TABLE consent_record ADD COLUMN language varchar(35) DEFAULT 'und' NOT NULL;
ALTER TABLE consent_record ADD COLUMN controller_name varchar(200) DEFAULT 'not recorded' NOT NULL;
ALTER TABLE consent_record ADD COLUMN controller_contact varchar(200) DEFAULT 'not recorded' NOT NULL;
ALTER TABLE consent_record ADD COLUMN storage_location varchar(40) DEFAULT 'CN' NOT NULL;
ALTER TABLE consent_record ADD COLUMN jurisdiction varchar(40) DEFAULT 'CN' NOT NULL;
ALTER TABLE consent_record ADD COLUMN withdrawal_method varchar(200) DEFAULT '/account/consents' NOT NULL;
ALTER TABLE consent_record ADD COLUMN validity varchar(40) DEFAULT 'until-withdrawn' NOT NULL;
ALTER TABLE consent_record ADD COLUMN actor varchar(100);
UPDATE consent_record SET actor = 'user:' || subject WHERE actor IS NULL;
