-- connector/phone: numbers the carrier reports recycled (二次号), and the day it says each was. A binding made
-- before that day is stale: whoever proves the number now is a new holder, not the old account's owner. The
-- number is kept only as a keyed hash (purpose phone-recycled), so this table names no one.
CREATE TABLE phone_recycled_number (
    number_hash varchar(64) NOT NULL,
    recycled_on date NOT NULL,
    reported_at timestamp with time zone NOT NULL,
    reported_by varchar(200) NOT NULL,
    PRIMARY KEY (number_hash, recycled_on)
);
