package dev.tongxing.server.crypto;

import java.util.Optional;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Refuses to start a node whose lookup-hash key is not the one the database's hashes were made with: every
 * lookup would miss, and known people would get new accounts. The first node to start records the check.
 */
@Component
class LookupKeyCheck implements InitializingBean {

	private static final String PURPOSE = "lookup-hash";

	private final JdbcClient jdbc;

	private final PersonalDataCipher cipher;

	LookupKeyCheck(JdbcClient jdbc, PersonalDataCipher cipher) {
		this.jdbc = jdbc;
		this.cipher = cipher;
	}

	@Override
	public void afterPropertiesSet() {
		String mine = this.cipher.lookupHash("key-check", "tongxing");
		String recorded = recorded().orElseGet(() -> {
			try {
				this.jdbc.sql("INSERT INTO crypto_key_check (purpose, check_hash) VALUES (:p, :h)")
					.param("p", PURPOSE)
					.param("h", mine)
					.update();
				return mine;
			}
			catch (DuplicateKeyException anotherNodeWasFirst) {
				return recorded().orElseThrow();
			}
		});
		if (!recorded.equals(mine)) {
			throw new IllegalStateException("""
					The lookup-hash key is not the one this database's personal-data hashes were made with: \
					every lookup would fail. After rotating the master key, set \
					tongxing.pii.lookup-hash-master-key-id to the previous master key's id (and keep that key under \
					tongxing.keys.retired-master-keys), or restore tongxing.pii.lookup-hash-key.""");
		}
	}

	private Optional<String> recorded() {
		return this.jdbc.sql("SELECT check_hash FROM crypto_key_check WHERE purpose = :p")
			.param("p", PURPOSE)
			.query(String.class)
			.optional();
	}

}
