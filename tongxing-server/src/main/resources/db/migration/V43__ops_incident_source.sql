-- What opened an incident: 'logins' (the success rate of real logins fell) or 'probes' (the availability
-- probes of the method's upstream kept failing). Each signal resolves only the incidents it opened, so the
-- two never resolve each other's.
ALTER TABLE ops_incident ADD COLUMN opened_by varchar(20) DEFAULT 'logins' NOT NULL;
