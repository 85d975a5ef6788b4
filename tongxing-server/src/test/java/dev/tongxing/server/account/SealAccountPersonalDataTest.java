package dev.tongxing.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.TongxingApplication;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.crypto.JoseDataCipher;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A developer's database from before encryption at rest (V80 and earlier), with phone numbers, UnionIDs and
 * nicknames in clear, is migrated on the next start: sealed, hashed, and still working.
 */
class SealAccountPersonalDataTest {

	@TempDir
	Path dir;

	@Test
	void existingRowsAreSealedAndStillFound() throws Exception {
		String url = "jdbc:h2:file:" + this.dir.resolve("db").toAbsolutePath();
		DriverManagerDataSource old = new DriverManagerDataSource(url, "sa", "");
		Flyway.configure().dataSource(old).locations("classpath:db/migration").target("80").load().migrate();
		JdbcClient jdbc = JdbcClient.create(old);
		jdbc.sql("""
				INSERT INTO account_user (id, display_name, picture_url, status, created_at)
				VALUES ('u1', '老王', 'https://thirdwx.qlogo.cn/old-avatar/132', 'active', CURRENT_TIMESTAMP),
				       ('u2', NULL, NULL, 'active', CURRENT_TIMESTAMP)""").update();
		jdbc.sql("""
				INSERT INTO account_identity (id, user_id, provider, provider_key, created_at)
				VALUES ('i1', 'u1', 'phone', '+8613911112222', CURRENT_TIMESTAMP),
				       ('i2', 'u1', 'wechat-union', 'oUnion-legacy-1', CURRENT_TIMESTAMP),
				       ('i3', 'u2', 'dev', 'alice', CURRENT_TIMESTAMP)""").update();
		IdentityKey phone = new IdentityKey("phone", "+8613911112222");
		jdbc.sql("""
				INSERT INTO account_link_event (id, user_id, kind, provider, key_hint, occurred_at)
				VALUES ('e1', 'u1', 'link', 'phone', :kept, CURRENT_TIMESTAMP),
				       ('e2', 'u1', 'unlink', 'phone', :gone, CURRENT_TIMESTAMP)""")
			.param("kept", SealAccountPersonalData.unkeyedHint(phone))
			.param("gone", SealAccountPersonalData.unkeyedHint(new IdentityKey("phone", "+8613900000000")))
			.update();

		try (ConfigurableApplicationContext gateway = new SpringApplicationBuilder(TongxingApplication.class)
			.web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.run("--spring.datasource.url=" + url,
					"--tongxing.keys.master-key=dGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzLWxvbmchISE=",
					"--spring.main.banner-mode=off", "--logging.level.root=WARN")) {
			AccountService accounts = gateway.getBean(AccountService.class);
			assertThat(accounts.userFor(phone)).hasValue("u1");
			assertThat(accounts.userFor(new IdentityKey("wechat-union", "oUnion-legacy-1"))).hasValue("u1");
			assertThat(accounts.userFor(new IdentityKey("dev", "alice"))).hasValue("u2");
			assertThat(accounts.find("u1").orElseThrow().displayName()).isEqualTo("老王");
			assertThat(accounts.find("u1").orElseThrow().pictureUrl()).isEqualTo("https://thirdwx.qlogo.cn/old-avatar/132");
			assertThat(accounts.claims("u1", Set.of("phone"))).containsEntry("phone_number", "+8613911112222");
			assertThat(accounts.identities("u1")).extracting(AccountService.LinkedIdentity::key)
				.containsExactlyInAnyOrder("+8613911112222", "oUnion-legacy-1");
			// a new sign-in with the same phone finds the migrated account, not a new one
			assertThat(accounts.signIn(new ExternalIdentity("phone", "+8613911112222", null)).id()).isEqualTo("u1");

			JdbcClient migrated = gateway.getBean(JdbcClient.class);
			assertThat(migrated.sql("SELECT * FROM account_identity").query().listOfRows())
				.allSatisfy(row -> assertThat(row.keySet()).extracting(String::toLowerCase).doesNotContain("provider_key"))
				.allSatisfy(row -> assertThat(JoseDataCipher.isSealed(value(row, "provider_key_sealed"))).isTrue());
			Map<String, Object> user = migrated.sql("SELECT display_name, picture_url FROM account_user WHERE id = 'u1'")
				.query()
				.singleRow();
			assertThat(user.values()).allSatisfy(v -> assertThat(JoseDataCipher.isSealed((String) v)).isTrue());
			String keptHint = migrated.sql("SELECT key_hint FROM account_link_event WHERE id = 'e1'").query(String.class).single();
			assertThat(keptHint).hasSize(IdentityKeyHashes.HINT_LENGTH)
				.isEqualTo(IdentityKeyHashes.hint(gateway.getBean(JoseDataCipher.class), phone));
			assertThat(migrated.sql("SELECT key_hint FROM account_link_event WHERE id = 'e2'").query(String.class).optional())
				.as("a hint that can no longer be converted is dropped")
				.isEmpty();
		}
	}

	private static String value(Map<String, Object> row, String column) {
		return row.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(column)).map(e -> (String) e.getValue())
			.findFirst().orElseThrow();
	}

}
