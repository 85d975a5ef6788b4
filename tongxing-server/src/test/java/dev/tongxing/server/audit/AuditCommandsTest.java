package dev.tongxing.server.audit;

import dev.tongxing.server.TongxingApplication;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.cli.Commands;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar tongxing-server.jar audit verify} and {@code audit export}, on the gateway's own database. */
class AuditCommandsTest {

	static final String MASTER_KEY = "--tongxing.keys.master-key=dGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzLWxvbmchISE=";

	@TempDir
	Path dir;

	String url() {
		return "jdbc:h2:file:" + this.dir.resolve("db").toAbsolutePath();
	}

	record Run(int exit, String stdout) {
	}

	Run run(String... command) {
		String[] args = Stream.concat(Stream.of(command), Stream.of("--spring.datasource.url=" + url(), MASTER_KEY,
				"--spring.main.banner-mode=off", "--logging.level.root=WARN"))
			.toArray(String[]::new);
		PrintStream original = System.out;
		ByteArrayOutputStream captured = new ByteArrayOutputStream();
		System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
		try {
			assertThat(Commands.isCommand(args)).isTrue();
			return new Run(Commands.run(TongxingApplication.class, args), captured.toString(StandardCharsets.UTF_8));
		}
		finally {
			System.setOut(original);
		}
	}

	@Test
	void verifyAndExportTheLogAndNameATamperedEntry() throws Exception {
		assertThat(run("keys", "rotate").exit()).isZero();
		assertThat(run("keys", "rotate").exit()).isZero();

		Run verified = run("audit", "verify");
		assertThat(verified.exit()).isZero();
		assertThat(verified.stdout()).contains("Audit log intact: 2 entries");

		Run exported = run("audit", "export", "--from=2000-01-01");
		assertThat(exported.exit()).isZero();
		// stdout is the export alone, whatever the gateway logged meanwhile
		List<Map<String, Object>> entries = ExportedChain.verify(exported.stdout());
		assertThat(entries).extracting(e -> e.get("type"))
			.containsExactly(AuditTypes.ADMIN_KEYS_ROTATED, AuditTypes.ADMIN_KEYS_ROTATED, AuditTypes.ADMIN_AUDIT_EXPORTED);
		assertThat((String) entries.get(0).get("actor")).startsWith("cli:");
		assertThat(run("audit", "export", "--from=2999-01-01").stdout()).isEmpty();

		try (Connection c = DriverManager.getConnection(url(), "sa", "")) {
			c.createStatement().executeUpdate("UPDATE audit_entry SET actor = 'cli:someone-else' WHERE seq = 2");
		}
		Run tampered = run("audit", "verify");
		assertThat(tampered.exit()).isEqualTo(1);
		assertThat(tampered.stdout()).contains("NOT intact: ALTERED at seq 2");
	}

	@Test
	void usageNamesTheAuditCommands() {
		assertThat(Commands.run(TongxingApplication.class, new String[] { "audit", "explode" })).isEqualTo(2);
		PrintStream original = System.out;
		ByteArrayOutputStream captured = new ByteArrayOutputStream();
		System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
		try {
			assertThat(Commands.run(TongxingApplication.class, new String[] { "help" })).isZero();
		}
		finally {
			System.setOut(original);
		}
		assertThat(captured.toString(StandardCharsets.UTF_8)).contains("audit verify", "audit export");
	}

}
