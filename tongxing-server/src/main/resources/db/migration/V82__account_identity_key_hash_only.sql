-- Keys are found by their keyed hash from now on; the clear key is gone.
ALTER TABLE account_identity DROP CONSTRAINT uq_account_identity;
ALTER TABLE account_identity DROP COLUMN provider_key;
ALTER TABLE account_identity ALTER COLUMN provider_key_hash SET NOT NULL;
ALTER TABLE account_identity ALTER COLUMN provider_key_sealed SET NOT NULL;
ALTER TABLE account_identity ADD CONSTRAINT uq_account_identity_hash UNIQUE (provider, provider_key_hash);
