-- Personal data at rest is sealed (AES-256-GCM, see crypto.JoseDataCipher) and looked up by a keyed hash.
-- account_identity gets a keyed hash of the key (lookups, uniqueness) and a sealed copy (the phone claim,
-- "download my data"); display names and avatars become sealed values, which are longer than the clear ones.
-- V81 (a Java migration, account.SealAccountPersonalData) fills them for existing rows; V82 drops the clear key.
ALTER TABLE account_identity ADD COLUMN provider_key_hash varchar(64);
ALTER TABLE account_identity ADD COLUMN provider_key_sealed varchar(2000);
ALTER TABLE account_user ALTER COLUMN display_name SET DATA TYPE varchar(2000);
ALTER TABLE account_user ALTER COLUMN picture_url SET DATA TYPE varchar(4000);
