package dev.tongxing.server.transfer;

import dev.tongxing.server.TongxingApplication;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.cli.Commands;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar tongxing-server.jar import users FILE} and {@code export users FILE} on real database files:
 * what one gateway exports, a fresh one imports unchanged (its own export is the same file), and importing the
 * export again changes nothing.
 */
class TransferCommandsTest {

	static final String MASTER_KEY = "--tongxing.keys.master-key=dGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzLWxvbmchISE=";

	@TempDir
	Path dir;

	record Run(int exit, String out) {
	}

	/** Runs a command against the named database, with the test profile's clients, capturing what it prints. */
	Run command(String database, String... words) {
		String[] args = Stream.concat(Stream.of(words),
				Stream.of("--spring.datasource.url=jdbc:h2:file:" + this.dir.resolve(database).toAbsolutePath(),
						MASTER_KEY, "--spring.profiles.active=test", "--spring.main.banner-mode=off",
						"--logging.level.root=WARN"))
			.toArray(String[]::new);
		PrintStream stdout = System.out;
		ByteArrayOutputStream captured = new ByteArrayOutputStream();
		System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
		try {
			assertThat(Commands.isCommand(args)).isTrue();
			int exit = Commands.run(TongxingApplication.class, args);
			return new Run(exit, captured.toString(StandardCharsets.UTF_8));
		}
		finally {
			System.setOut(stdout);
		}
	}

	static List<String> sortedLines(Path file) throws Exception {
		return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).sorted().toList();
	}

	@Test
	void anExportImportsIntoAFreshGatewayUnchanged() throws Exception {
		Path source = this.dir.resolve("old-system.jsonl");
		Files.writeString(source, String.join("\n",
				"{\"id\":\"old-1\",\"name\":\"张伟\",\"avatar\":\"https://img.example.com/1.png\",\"wechat\":[{\"appid\":\"wx0000000000000001\",\"openid\":\"oA1\",\"unionid\":\"uA\"},{\"appid\":\"wx0000000000000004\",\"openid\":\"oA4\",\"unionid\":\"uA\"}],\"phones\":[{\"number\":\"+8613800138000\",\"verified\":true}],\"created_at\":\"2019-03-01T08:00:00+08:00\",\"last_login_at\":\"2024-11-30T12:00:00Z\",\"consent\":{\"policy_version\":\"2023-01\",\"at\":\"2023-01-05T10:00:00Z\"},\"subs\":{\"live-web\":\"old-1\",\"partner\":\"p-9f2\"}}",
				"{\"id\":\"old-2\",\"wechat\":[],\"phones\":[{\"number\":\"+8613900139000\",\"verified\":true},{\"number\":\"+8613700137000\",\"verified\":false}],\"logins\":[{\"provider\":\"oidc:corp\",\"key\":\"https://idp.example.com|e-42\"}],\"created_at\":\"2020-01-01T00:00:00Z\",\"subs\":{}}",
				"{\"id\":\"old-3\",\"wechat\":[{\"unionid\":\"uC\"}],\"phones\":[],\"created_at\":\"2021-07-01T00:00:00Z\",\"subs\":{\"live-web\":\"c-3\"}}",
				""), StandardCharsets.UTF_8);

		Run imported = command("first", "import", "users", source.toString());
		assertThat(imported.exit()).as(imported.out()).isZero();
		assertThat(imported.out()).containsPattern("created:\\s+3\\b").contains("1 unverified phone numbers left out");

		Path firstExport = this.dir.resolve("first.jsonl");
		Run exported = command("first", "export", "users", firstExport.toString());
		assertThat(exported.exit()).as(exported.out()).isZero();
		assertThat(exported.out()).contains("Exported 3 people");
		List<String> first = sortedLines(firstExport);
		assertThat(first).hasSize(3);
		assertThat(first.get(0)).startsWith("{\"id\":\"old-1\",\"name\":\"张伟\",\"avatar\":\"https://img.example.com/1.png\"")
			.contains("{\"appid\":\"wx0000000000000001\",\"openid\":\"oA1\"}", "{\"unionid\":\"uA\"}",
					"{\"number\":\"+8613800138000\",\"verified\":true}", "\"created_at\":\"2019-03-01T00:00:00Z\"",
					"\"last_login_at\":\"2024-11-30T12:00:00Z\"",
					"\"consent\":{\"policy_version\":\"2023-01\",\"at\":\"2023-01-05T10:00:00Z\"}",
					"\"subs\":{\"live-web\":\"old-1\",\"partner\":\"p-9f2\"}");
		assertThat(first.get(1)).contains("\"logins\":[{\"provider\":\"oidc:corp\",\"key\":\"https://idp.example.com|e-42\"}]")
			.contains("+8613900139000")
			.doesNotContain("+8613700137000");
		assertThat(first.get(2)).contains("\"wechat\":[{\"unionid\":\"uC\"}]").contains("\"subs\":{\"live-web\":\"c-3\"}");

		// into a fresh gateway, and out again: the same records
		Run intoFresh = command("second", "import", "users", firstExport.toString());
		assertThat(intoFresh.exit()).as(intoFresh.out()).isZero();
		assertThat(intoFresh.out()).containsPattern("created:\\s+3\\b");
		Path secondExport = this.dir.resolve("second.jsonl");
		assertThat(command("second", "export", "users", secondExport.toString()).exit()).isZero();
		assertThat(sortedLines(secondExport)).isEqualTo(first);

		// and the same file once more changes nothing
		Run again = command("second", "import", "users", firstExport.toString());
		assertThat(again.exit()).as(again.out()).isZero();
		assertThat(again.out()).containsPattern("created:\\s+0\\b").containsPattern("unchanged:\\s+3\\b");
	}

	@Test
	void aClientConfiguredToKeepOldIdsGetsTheOldIdAsSub() throws Exception {
		Path file = this.dir.resolve("old-ids.jsonl");
		Files.writeString(file, "{\"id\":\"legacy-77\",\"wechat\":[{\"unionid\":\"uK\"}],\"subs\":{\"partner\":\"p-77\"}}\n",
				StandardCharsets.UTF_8);
		Run imported = command("old-ids", "import", "users", file.toString(), "--tongxing.transfer.old-id-as-sub=live-app");
		assertThat(imported.exit()).as(imported.out()).isZero();
		Path export = this.dir.resolve("old-ids-out.jsonl");
		assertThat(command("old-ids", "export", "users", export.toString()).exit()).isZero();
		assertThat(sortedLines(export)).singleElement().asString()
			.contains("\"id\":\"legacy-77\"")
			.contains("\"subs\":{\"live-app\":\"legacy-77\",\"partner\":\"p-77\"}");
		// a client that is not registered cannot keep anything
		Run misconfigured = command("old-ids", "import", "users", file.toString(), "--tongxing.transfer.old-id-as-sub=nobody");
		assertThat(misconfigured.exit()).isEqualTo(2);
		assertThat(misconfigured.out()).contains("tongxing.transfer.old-id-as-sub names nobody");
	}

	@Test
	void aDryRunPrintsEachProblemWithItsLineAndExitsOne() throws Exception {
		Path file = this.dir.resolve("bad.jsonl");
		Files.writeString(file, String.join("\n",
				"{\"id\":\"a\",\"wechat\":[{\"appid\":\"wx0000000000000001\",\"openid\":\"o1\",\"unionid\":\"U\"}]}",
				"{\"id\":\"b\",\"wechat\":[{\"appid\":\"wx0000000000000002\",\"openid\":\"o2\",\"unionid\":\"U\"}]}",
				"{\"id\":\"c\",\"phones\":[{\"number\":\"+8613800138000\",\"verified\":true}],\"created_at\":\"yesterday\"}"),
				StandardCharsets.UTF_8);
		Run dry = command("dry", "import", "users", file.toString(), "--dry-run");
		assertThat(dry.exit()).as(dry.out()).isEqualTo(1);
		assertThat(dry.out()).contains("Dry run (nothing written)")
			.containsPattern("would be created:\\s+1\\b")
			.contains("line 2: conflict: its WeChat UnionID is also claimed by the old user of line 1")
			.contains("line 3: invalid: created_at: \"yesterday\" is not a time with an offset");
		// nothing was written: a real run creates the first line's account
		Run real = command("dry", "import", "users", file.toString());
		assertThat(real.out()).containsPattern("created:\\s+1\\b");
		assertThat(command("dry", "import", "users").exit()).isEqualTo(2);
		assertThat(command("dry", "import", "users", this.dir.resolve("missing.jsonl").toString()).out())
			.contains("Cannot read");
	}

}
