package dev.tongxing.server.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tongxing.server.TongxingApplication;
import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.cli.Commands;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Data-key rotation on a real database: values sealed under key A, the current key becomes B (both open), and
 * {@code pii rekey} re-seals everything under B, after which A can be removed.
 */
class PiiRekeyCommandTest {

	static final String MASTER_KEY = "--tongxing.keys.master-key=dGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzLWxvbmchISE=";

	static final String KEY_A = "--tongxing.pii.data-keys.a=" + JoseDataCipherTest.KEY_A;

	static final String KEY_B = "--tongxing.pii.data-keys.b=" + JoseDataCipherTest.KEY_B;

	@TempDir
	Path dir;

	String[] args(String... more) {
		boolean ownMasterKey = Stream.of(more).anyMatch(a -> a.startsWith("--tongxing.keys.master-key="));
		return Stream.concat(Stream.of("--spring.datasource.url=jdbc:h2:file:" + this.dir.resolve("db").toAbsolutePath(),
				"--spring.main.banner-mode=off", "--logging.level.root=WARN", "--tongxing.pii.rekey-batch-size=2"),
				Stream.concat(ownMasterKey ? Stream.empty() : Stream.of(MASTER_KEY), Stream.of(more)))
			.toArray(String[]::new);
	}

	ConfigurableApplicationContext gateway(String... keys) {
		return new SpringApplicationBuilder(TongxingApplication.class).web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.run(args(keys));
	}

	static ExternalIdentity person(String phone, String name) {
		return new ExternalIdentity("phone", phone, name);
	}

	@Test
	void rotateThenRekeyReSealsEverythingUnderTheNewKey() throws Exception {
		String first;
		String second;
		try (ConfigurableApplicationContext underA = gateway(KEY_A, "--tongxing.pii.current-key-id=a")) {
			AccountService accounts = underA.getBean(AccountService.class);
			first = accounts.signIn(person("+8613900000001", "甲")).id();
			accounts.signIn(person("+8613900000002", "乙"));
			accounts.signIn(person("+8613900000003", "丙"));
			underA.getBean(JdbcClient.class)
				.sql("""
						INSERT INTO oauth2_authorization (id, registered_client_id, principal_name, authorization_grant_type, attributes)
						VALUES ('auth-1', 'client', :p, 'authorization_code', :attributes)""")
				.param("p", first)
				.param("attributes", underA.getBean(JoseDataCipher.class).seal("{\"remote\":\"10.1.2.3\"}"))
				.update();
			// a table of another package, found by the *_sealed naming convention without any declaration
			JdbcClient jdbc = underA.getBean(JdbcClient.class);
			jdbc.sql("CREATE TABLE test_note (id int NOT NULL, note_sealed varchar(2000), PRIMARY KEY (id))").update();
			jdbc.sql("INSERT INTO test_note (id, note_sealed) VALUES (1, :n)")
				.param("n", underA.getBean(JoseDataCipher.class).seal("请回电 13900000001"))
				.update();
			assertThat(keyIds(underA)).containsOnly("a");
		}
		try (ConfigurableApplicationContext rotated = gateway(KEY_A, KEY_B, "--tongxing.pii.current-key-id=b")) {
			AccountService accounts = rotated.getBean(AccountService.class);
			second = accounts.signIn(person("+8613900000004", "丁")).id();
			// new seals use B, old ones still open
			assertThat(keyIds(rotated)).containsOnly("a", "b");
			assertThat(accounts.find(first).orElseThrow().displayName()).isEqualTo("甲");
			assertThat(accounts.claims(first, Set.of("phone"))).containsEntry("phone_number", "+8613900000001");
			assertThat(accounts.find(second).orElseThrow().displayName()).isEqualTo("丁");
		}

		// with A already removed, rekey cannot open A's values: it says so and fails, changing nothing it can't read
		Output refused = run("pii", "rekey", KEY_B, "--tongxing.pii.current-key-id=b");
		assertThat(refused.exit()).isEqualTo(1);
		assertThat(refused.text()).contains("UNREADABLE");

		Output rekeyed = run("pii", "rekey", KEY_A, KEY_B, "--tongxing.pii.current-key-id=b");
		assertThat(rekeyed.exit()).as(rekeyed.text()).isZero();
		assertThat(rekeyed.text()).contains("account_user.display_name: 3 re-sealed")
			.contains("account_identity.provider_key_sealed: 3 re-sealed")
			.contains("oauth2_authorization.attributes: 1 re-sealed")
			.contains("test_note.note_sealed: 1 re-sealed");
		assertThat(run("pii", "rekey", KEY_A, KEY_B, "--tongxing.pii.current-key-id=b").text())
			.as("nothing left to do").contains("Re-sealed 0 values");

		try (ConfigurableApplicationContext onlyB = gateway(KEY_B, "--tongxing.pii.current-key-id=b")) {
			AccountService accounts = onlyB.getBean(AccountService.class);
			assertThat(keyIds(onlyB)).containsOnly("b");
			assertThat(accounts.find(first).orElseThrow().displayName()).isEqualTo("甲");
			assertThat(accounts.userFor(new ExternalIdentity.IdentityKey("phone", "+8613900000001"))).hasValue(first);
			assertThat(accounts.claims(first, Set.of("phone"))).containsEntry("phone_number", "+8613900000001");
			assertThat(onlyB.getBean(JoseDataCipher.class)
				.open(onlyB.getBean(JdbcClient.class)
					.sql("SELECT attributes FROM oauth2_authorization WHERE id = 'auth-1'")
					.query(String.class)
					.single())).contains("10.1.2.3");
			JoseDataCipher cipher = onlyB.getBean(JoseDataCipher.class);
			String note = onlyB.getBean(JdbcClient.class).sql("SELECT note_sealed FROM test_note").query(String.class).single();
			assertThat(cipher.keyIdOf(note)).isEqualTo("b");
			assertThat(cipher.open(note)).isEqualTo("请回电 13900000001");
		}
	}

	@Test
	void aMasterKeyRotationThatWouldChangeTheLookupKeyIsRefusedAtStart() {
		String first;
		try (ConfigurableApplicationContext before = gateway()) {
			first = before.getBean(AccountService.class).signIn(person("+8613900000009", "戊")).id();
		}
		String rotated = "--tongxing.keys.master-key=" + JoseDataCipherTest.KEY_A;
		String newId = "--tongxing.keys.master-key-id=m2";
		String retired = "--tongxing.keys.retired-master-keys.default=" + MASTER_KEY.substring(MASTER_KEY.indexOf('=') + 1);
		assertThatThrownBy(() -> gateway(rotated, newId, retired).close()).rootCause()
			.hasMessageContaining("tongxing.pii.lookup-hash-master-key-id");
		try (ConfigurableApplicationContext after = gateway(rotated, newId, retired,
				"--tongxing.pii.lookup-hash-master-key-id=default")) {
			AccountService accounts = after.getBean(AccountService.class);
			assertThat(accounts.userFor(new ExternalIdentity.IdentityKey("phone", "+8613900000009"))).hasValue(first);
			assertThat(accounts.find(first).orElseThrow().displayName()).as("sealed under mk-default, still opens")
				.isEqualTo("戊");
		}
	}

	/** The data keys that sealed the values in the account tables. */
	private static List<String> keyIds(ConfigurableApplicationContext context) {
		JoseDataCipher cipher = context.getBean(JoseDataCipher.class);
		JdbcClient jdbc = context.getBean(JdbcClient.class);
		return Stream
			.concat(jdbc.sql("SELECT display_name FROM account_user").query(String.class).list().stream(),
					jdbc.sql("SELECT provider_key_sealed FROM account_identity").query(String.class).list().stream())
			.map(cipher::keyIdOf)
			.distinct()
			.toList();
	}

	record Output(int exit, String text) {
	}

	private Output run(String... command) {
		PrintStream stdout = System.out;
		ByteArrayOutputStream captured = new ByteArrayOutputStream();
		System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
		try {
			String[] all = Stream.concat(Stream.of(command), Stream.of(args())).toArray(String[]::new);
			// the command line's own options come first, the shared ones after
			int exit = Commands.run(TongxingApplication.class, all);
			return new Output(exit, captured.toString(StandardCharsets.UTF_8));
		}
		finally {
			System.setOut(stdout);
		}
	}

}
