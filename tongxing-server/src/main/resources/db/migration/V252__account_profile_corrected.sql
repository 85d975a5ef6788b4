-- When the person corrected their display name themselves (PIPL Art. 46): sign-ins then no longer overwrite it
-- with the upstream's nickname.
ALTER TABLE account_user ADD COLUMN name_corrected_at TIMESTAMP WITH TIME ZONE;
