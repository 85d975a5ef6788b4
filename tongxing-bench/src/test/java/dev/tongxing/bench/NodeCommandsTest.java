package dev.tongxing.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The seeding command writes what the gateway itself reads (on the local PostgreSQL, in a schema of its own,
 * dropped afterwards), and a node started from the production jar serves on the seeded schema while its RSS
 * is read. Tiny sizes: nothing here measures speed.
 */
class NodeCommandsTest {

	@TempDir
	Path dir;

	@Test
	void seededPeopleAreTheGatewaysOwnAndANodeServesOnThem() throws Exception {
		try (BenchDatabase database = BenchDatabase.freshPostgres()) {
			try (ConfigurableApplicationContext gateway = AccountSeeder.offlineGateway(database)) {
				long seeded = AccountSeeder.of(gateway, database).seed(0, 300, 2, 70, new PrintStream(
						new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
				assertThat(seeded).isEqualTo(300);
				assertThat(AccountSeeder.count(database, "SELECT count(*) FROM account_user")).isEqualTo(300);
				assertThat(AccountSeeder.count(database,
						"SELECT count(*) FROM account_identity WHERE provider IN ('wechat-union', 'wechat-open', 'phone')"))
					.isEqualTo(900);
				assertThat(AccountSeeder.count(database, "SELECT count(*) FROM account_link_event")).isEqualTo(1200);
				// nothing in clear: no phone number, openid or nickname appears in any column
				try (Connection c = database.connect(); Statement s = c.createStatement();
						ResultSet r = s.executeQuery("SELECT i.provider_key_hash || i.provider_key_sealed || u.display_name"
								+ " || u.picture_url FROM account_identity i JOIN account_user u ON u.id = i.user_id")) {
					while (r.next()) {
						assertThat(r.getString(1)).doesNotContain("+86150", "bench", "Bench person");
					}
				}
				// the gateway's account service finds every sampled person's seeded account...
				AccountSeeder.verify(gateway, database, 300, 4);
				// ...and the check can fail: person 300 was never seeded, so signing them in creates an account
				assertThatIllegalStateException().isThrownBy(() -> AccountSeeder.verify(gateway, database, 301, 2))
					.withMessageContaining("created 1 accounts");
			}

			Path jar = Path.of("../tongxing-server/target/tongxing-server.jar");
			Assumptions.assumeTrue(Files.isRegularFile(jar), "the gateway's jar is built before this module");
			Path output = this.dir.resolve("node-memory.json");
			int exit = NodeCommands.run(new String[] { "node-memory", "--schema=" + database.schema(),
					"--server-jar=" + jar, "--grants=20", "--logins=2", "--jvm-options=-XX:TieredStopAtLevel=1",
					"--output=" + output });
			assertThat(exit).isZero();
			Map<String, Object> result = JSONObjectUtils.parse(Files.readString(output));
			assertThat(((Number) result.get("accounts")).longValue()).isEqualTo(301);
			assertThat(((Number) result.get("rssKb")).longValue()).isPositive()
				.isLessThanOrEqualTo(((Number) result.get("peakRssKb")).longValue());
			assertThat(((Number) result.get("startSeconds")).doubleValue()).isPositive();
			assertThat(result).containsEntry("jvmOptions", "-XX:TieredStopAtLevel=1").containsEntry("targetMet", false);
		}
	}

}
