package dev.tongxing.server.account;

import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.crypto.Digests;
import dev.tongxing.server.crypto.JoseDataCipher;
import dev.tongxing.server.crypto.PersonalDataCipher;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.springframework.stereotype.Component;

/**
 * Flyway V81 (between the SQL migrations V80 and V82), a Spring bean because it needs the data keys: seals
 * what existing databases hold in clear in the account tables. Identity keys get their keyed hash and sealed
 * copy, display names and avatars are sealed, and the old unkeyed link-event hints (a truncated SHA-256 of
 * provider:key, guessable for a phone number) become keyed ones where the identity still exists and are
 * cleared otherwise. Runs in Flyway's transaction: all of it, or nothing.
 */
@Component
class SealAccountPersonalData implements JavaMigration {

	private final PersonalDataCipher cipher;

	SealAccountPersonalData(PersonalDataCipher cipher) {
		this.cipher = cipher;
	}

	@Override
	public MigrationVersion getVersion() {
		return MigrationVersion.fromVersion("81");
	}

	@Override
	public String getDescription() {
		return "account seal personal data";
	}

	@Override
	public Integer getChecksum() {
		return null;
	}

	@Override
	public boolean canExecuteInTransaction() {
		return true;
	}

	@Override
	public void migrate(Context context) throws Exception {
		Connection connection = context.getConnection();
		sealIdentities(connection);
		sealProfiles(connection);
	}

	private void sealIdentities(Connection connection) throws Exception {
		List<String[]> rows = new ArrayList<>();
		try (PreparedStatement select = connection
			.prepareStatement("SELECT id, provider, provider_key FROM account_identity WHERE provider_key_hash IS NULL");
				ResultSet rs = select.executeQuery()) {
			while (rs.next()) {
				rows.add(new String[] { rs.getString(1), rs.getString(2), rs.getString(3) });
			}
		}
		try (PreparedStatement identity = connection.prepareStatement(
				"UPDATE account_identity SET provider_key_hash = ?, provider_key_sealed = ? WHERE id = ?");
				PreparedStatement hints = connection
					.prepareStatement("UPDATE account_link_event SET key_hint = ? WHERE key_hint = ? AND provider = ?")) {
			for (String[] row : rows) {
				IdentityKey key = new IdentityKey(row[1], row[2]);
				identity.setString(1, IdentityKeyHashes.lookup(this.cipher, key));
				identity.setString(2, this.cipher.seal(key.key()));
				identity.setString(3, row[0]);
				identity.executeUpdate();
				hints.setString(1, IdentityKeyHashes.hint(this.cipher, key));
				hints.setString(2, unkeyedHint(key));
				hints.setString(3, key.provider());
				hints.executeUpdate();
			}
		}
		// hints of identities that are gone can no longer be converted: dropped rather than left guessable
		try (PreparedStatement clear = connection
			.prepareStatement("UPDATE account_link_event SET key_hint = NULL WHERE LENGTH(key_hint) <> ?")) {
			clear.setInt(1, IdentityKeyHashes.HINT_LENGTH);
			clear.executeUpdate();
		}
	}

	private void sealProfiles(Connection connection) throws Exception {
		List<String[]> rows = new ArrayList<>();
		try (PreparedStatement select = connection.prepareStatement(
				"SELECT id, display_name, picture_url FROM account_user WHERE display_name IS NOT NULL OR picture_url IS NOT NULL");
				ResultSet rs = select.executeQuery()) {
			while (rs.next()) {
				rows.add(new String[] { rs.getString(1), rs.getString(2), rs.getString(3) });
			}
		}
		try (PreparedStatement update = connection
			.prepareStatement("UPDATE account_user SET display_name = ?, picture_url = ? WHERE id = ?")) {
			for (String[] row : rows) {
				update.setString(1, sealIfClear(row[1]));
				update.setString(2, sealIfClear(row[2]));
				update.setString(3, row[0]);
				update.executeUpdate();
			}
		}
	}

	private String sealIfClear(String value) {
		return value == null || JoseDataCipher.isSealed(value) ? value : this.cipher.seal(value);
	}

	/** The hint as JdbcAccountService wrote it before V81. */
	static String unkeyedHint(IdentityKey key) throws Exception {
		return HexFormat.of().formatHex(Digests.sha256(key.provider() + ":" + key.key()), 0, 6);
	}

}
