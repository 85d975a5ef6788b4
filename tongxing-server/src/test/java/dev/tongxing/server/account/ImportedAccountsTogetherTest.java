package dev.tongxing.server.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.testing.GatewayTest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@link AccountService#createImportedAll} writes for many people what {@link AccountService#createImported}
 * writes for one — sealed keys, old times, history, audit entries — in batched statements, and all or none.
 */
class ImportedAccountsTogetherTest extends GatewayTest {

	@Autowired
	AccountService accounts;

	@Autowired
	JdbcClient jdbc;

	static final Instant JOINED = Instant.parse("2020-01-01T00:00:00Z");

	static final Instant LAST_SEEN = Instant.parse("2024-06-01T00:00:00Z");

	@Test
	void manyPeopleGetTheSameRowsAsOneAtATime() {
		String tag = UUID.randomUUID().toString().substring(0, 8);
		IdentityKey annDev = new IdentityKey("dev", "together-ann-" + tag);
		IdentityKey annPhone = new IdentityKey("phone", "+86137" + String.format("%08d", Math.abs(tag.hashCode()) % 100_000_000));
		IdentityKey benDev = new IdentityKey("dev", "together-ben-" + tag);
		List<String> ids = this.accounts.createImportedAll(List.of(
				new AccountService.ImportedAccount(List.of(annDev, annPhone), new ExternalIdentity.Profile("Ann", null, null),
						JOINED, LAST_SEEN),
				new AccountService.ImportedAccount(List.of(benDev), new ExternalIdentity.Profile("Ben", null, null), JOINED,
						null)),
				"import");
		assertThat(ids).hasSize(2).doesNotHaveDuplicates();
		assertThat(this.accounts.usersFor(List.of(annDev, annPhone, benDev, new IdentityKey("dev", "nobody-" + tag))))
			.isEqualTo(Map.of(annDev, ids.get(0), annPhone, ids.get(0), benDev, ids.get(1)));
		assertThat(this.accounts.find(ids.get(0)).orElseThrow().displayName()).isEqualTo("Ann");
		assertThat(this.accounts.find(ids.get(0)).orElseThrow().createdAt()).isEqualTo(JOINED);
		assertThat(this.accounts.identities(ids.get(0))).hasSize(2)
			.allSatisfy(identity -> assertThat(identity.lastLoginAt()).isEqualTo(LAST_SEEN));
		assertThat(this.accounts.identities(ids.get(1))).singleElement()
			.satisfies(identity -> assertThat(identity.lastLoginAt()).isNull());
		// the same history and audit entries as one at a time: a creation and a link per key, by the method given
		assertThat(this.jdbc.sql("SELECT kind FROM account_link_event WHERE user_id = :u AND method = 'import' ORDER BY kind")
			.param("u", ids.get(0)).query(String.class).list()).containsExactly("create", "link", "link");
		awaitAudit(ids.get(0), 3);
		// nothing in clear
		assertThat(this.jdbc.sql("SELECT provider_key_sealed FROM account_identity WHERE user_id = :u")
			.param("u", ids.get(0)).query(String.class).list()).noneMatch(v -> v.contains(annPhone.key()));
		assertThat(this.accounts.existingAccounts(List.of(ids.get(1), "no-such-account-" + tag))).containsExactly(ids.get(1));
		// the new phone is the account's first, seen now: binding another one later is an identifier change
		assertThat(this.jdbc.sql("SELECT user_id FROM events_identifier_seen WHERE provider = 'phone' AND user_id IN (:u)")
			.param("u", ids).query(String.class).list()).containsExactly(ids.get(0));
	}

	@Test
	void oneKeyAlreadyHeldWritesNothingOfTheBatch() {
		String tag = UUID.randomUUID().toString().substring(0, 8);
		IdentityKey held = new IdentityKey("dev", "together-held-" + tag);
		this.accounts.createImported(List.of(held), new ExternalIdentity.Profile("Held", null, null), JOINED, null, "import");
		IdentityKey other = new IdentityKey("dev", "together-other-" + tag);
		assertThatExceptionOfType(DuplicateKeyException.class).isThrownBy(() -> this.accounts.createImportedAll(List.of(
				new AccountService.ImportedAccount(List.of(other), new ExternalIdentity.Profile("Other", null, null), JOINED,
						null),
				new AccountService.ImportedAccount(List.of(held), new ExternalIdentity.Profile("Again", null, null), JOINED,
						null)),
				"import"));
		assertThat(this.accounts.userFor(other)).isEmpty();
	}

	private void awaitAudit(String userId, int entries) {
		long deadline = System.nanoTime() + 10_000_000_000L;
		long found;
		do {
			found = this.jdbc.sql("""
					SELECT COUNT(*) FROM audit_entry WHERE subject = :u AND type IN ('account.created', 'account.linked')""")
				.param("u", userId).query(Long.class).single();
		}
		while (found < entries && System.nanoTime() < deadline);
		assertThat(found).isEqualTo(entries);
	}

}
