package dev.tongxing.server.cli;

import dev.tongxing.server.TongxingApplication;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar tongxing-server.jar keys rotate}, run against the gateway's own database. */
class CommandsTest {

	static final String MASTER_KEY = "--tongxing.keys.master-key=dGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzLWxvbmchISE=";

	@TempDir
	Path dir;

	String url() {
		return "jdbc:h2:file:" + this.dir.resolve("db").toAbsolutePath();
	}

	@Test
	void keysRotateActivatesANewKeyAndRetiresTheOld() throws Exception {
		String[] args = { "keys", "rotate", "--spring.datasource.url=" + url(), MASTER_KEY,
				"--spring.main.banner-mode=off", "--logging.level.root=WARN" };
		assertThat(Commands.isCommand(args)).isTrue();
		assertThat(Commands.run(TongxingApplication.class, args)).isZero();
		assertThat(Commands.run(TongxingApplication.class, args)).isZero();
		try (Connection c = DriverManager.getConnection(url(), "sa", "")) {
			ResultSet rs = c.createStatement()
				.executeQuery("SELECT COUNT(*), SUM(CASE WHEN retired_at IS NULL THEN 1 ELSE 0 END) FROM oidc_signing_key"
						+ " WHERE algorithm = 'RS256'");
			rs.next();
			// the key made at first start, then two rotations: three keys, one of them active (and as many of
			// each other algorithm: every rotation renews them all)
			assertThat(rs.getInt(1)).isEqualTo(3);
			assertThat(rs.getInt(2)).isEqualTo(1);
		}
	}

	@Test
	void operatorGrantSetsAnAccountsConsoleRoles() throws Exception {
		String db = "--spring.datasource.url=" + url();
		String[] common = { db, MASTER_KEY, "--spring.main.banner-mode=off", "--logging.level.root=WARN" };
		// no such account (by phone or id): nothing granted
		assertThat(Commands.run(TongxingApplication.class, concat(new String[] { "operator", "grant", "+8613000000000", "admin" }, common))).isEqualTo(1);
		assertThat(Commands.run(TongxingApplication.class, concat(new String[] { "operator", "grant", "u-1", "root" }, common))).isEqualTo(2);
		try (Connection c = DriverManager.getConnection(url(), "sa", "")) {
			c.createStatement().executeUpdate(
					"INSERT INTO account_user (id, status, created_at) VALUES ('u-1', 'active', CURRENT_TIMESTAMP)");
		}
		assertThat(Commands.run(TongxingApplication.class, concat(new String[] { "operator", "grant", "u-1", "viewer,admin" }, common))).isZero();
		try (Connection c = DriverManager.getConnection(url(), "sa", "")) {
			ResultSet rs = c.createStatement()
				.executeQuery("SELECT roles, granted_by FROM console_operator WHERE account_id = 'u-1'");
			assertThat(rs.next()).isTrue();
			assertThat(rs.getString(1)).isEqualTo("viewer,admin");
			assertThat(rs.getString(2)).startsWith("cli:");
		}
		assertThat(Commands.run(TongxingApplication.class, concat(new String[] { "operator", "grant", "u-1", "none" }, common))).isZero();
		try (Connection c = DriverManager.getConnection(url(), "sa", "")) {
			assertThat(c.createStatement().executeQuery("SELECT 1 FROM console_operator").next()).isFalse();
		}
	}

	static String[] concat(String[] a, String[] b) {
		String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, all, a.length, b.length);
		return all;
	}

	@Test
	void unknownCommandPrintsUsage() {
		assertThat(Commands.isCommand(new String[] { "--server.port=1" })).isFalse();
		assertThat(Commands.run(TongxingApplication.class, new String[] { "keys", "explode" })).isEqualTo(2);
		assertThat(Commands.run(TongxingApplication.class, new String[] { "help" })).isZero();
	}

	@Test
	void refusesToStartWithoutAMasterKey() {
		String[] args = { "keys", "rotate", "--spring.datasource.url=" + url(), "--spring.main.banner-mode=off",
				"--logging.level.root=OFF" };
		assertThatThrownBy(() -> Commands.run(TongxingApplication.class, args)).rootCause()
			.hasMessageContaining("tongxing.keys.master-key")
			.hasMessageContaining("32 random bytes");
	}

}
