-- A keyed hash of a fixed text under the lookup-hash key, written at the first start: a node whose key differs
-- (a master key rotated without tongxing.pii.lookup-hash-master-key-id, a mistyped key) refuses to start
-- instead of silently failing every lookup and making new accounts for known people.
CREATE TABLE crypto_key_check (
    purpose varchar(40) NOT NULL,
    check_hash varchar(64) NOT NULL,
    PRIMARY KEY (purpose)
);
