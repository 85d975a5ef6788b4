-- Who started a deletion request (CAEP initiating_entity: user, admin, policy), stored with it so the
-- account-purged event sent when it completes, possibly days later on another node, can say so.
-- NULL for requests made before this column: their events name no initiator.
ALTER TABLE deletion_request ADD COLUMN initiated_by varchar(12);
