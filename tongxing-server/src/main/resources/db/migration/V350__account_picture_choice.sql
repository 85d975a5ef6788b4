-- The avatar each way to sign in brought at its last sign-in (sealed), and which of them the person chose to be
-- shown and released as `picture` (PIPL Art. 46): NULL follows the latest sign-in as before, 'none' is no avatar,
-- otherwise the id of the account_identity row whose avatar it is.
ALTER TABLE account_identity ADD COLUMN picture_sealed varchar(4000);
ALTER TABLE account_user ADD COLUMN picture_choice varchar(64);
ALTER TABLE account_user ADD COLUMN picture_chosen_at TIMESTAMP WITH TIME ZONE;
