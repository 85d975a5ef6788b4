-- When the account last had a phone number removed (on the account page). A number bound within
-- tongxing.account.phone-change.lost-number-wait after that replaces the removed one without a code to it,
-- so it waits like a change whose old number was lost. Ids and times only; erased with the account.
CREATE TABLE phone_removal (
    user_id varchar(64) NOT NULL,
    removed_at timestamp with time zone NOT NULL,
    PRIMARY KEY (user_id)
);
