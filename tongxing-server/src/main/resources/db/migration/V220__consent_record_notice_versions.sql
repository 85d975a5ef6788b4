-- Separate consent (PIPL Art. 29-30) is given to a notice of its own: why the data is necessary and how its
-- processing affects the person. A record of such a consent names the notice and the version of each of its
-- two texts the person was shown (the language is already in the record); other records leave them empty.
ALTER TABLE consent_record ADD COLUMN notice_id varchar(40);
ALTER TABLE consent_record ADD COLUMN necessity_text_version varchar(40);
ALTER TABLE consent_record ADD COLUMN impact_text_version varchar(40);
