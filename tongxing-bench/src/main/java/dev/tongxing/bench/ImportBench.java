package dev.tongxing.bench;

import dev.tongxing.server.transfer.TransferFiles;
import dev.tongxing.server.transfer.UserImport;
import java.io.BufferedWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code import}: the throughput of {@code import users} on PostgreSQL. Writes a JSON Lines file of N people
 * (each a WeChat mobile-app identity with its UnionID, a verified phone, name, avatar, times, consent evidence
 * and a sub for one client), imports it into a fresh schema through the gateway's own {@link UserImport} (the
 * command's code path: one transaction per record, audit entries, sealing), then imports it again (every
 * record unchanged), with {@code --workers=N} as {@code tongxing.transfer.workers} (default 4, as the command).
 */
final class ImportBench {

	static final String CLIENT_ID = "bench-rp";

	private ImportBench() {
	}

	static int run(Map<String, String> o, PrintStream log) throws Exception {
		long records = Long.parseLong(o.getOrDefault("records", "100000"));
		Path file = Path.of(o.getOrDefault("file", "tongxing-bench/target/import-bench.jsonl"));
		Files.createDirectories(file.toAbsolutePath().getParent());
		long t0 = System.nanoTime();
		try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
			for (long i = 0; i < records; i++) {
				out.write(line(i));
				out.write('\n');
			}
		}
		log.printf(Locale.ROOT, "wrote %,d records (%,d MB) in %.1f s%n", records, Files.size(file) >> 20,
				(System.nanoTime() - t0) / 1e9);
		try (BenchDatabase database = BenchDatabase.freshPostgres();
				ConfigurableApplicationContext gateway = offlineGateway(database, o.getOrDefault("workers", "4"))) {
			UserImport imports = gateway.getBean(UserImport.class);
			String sha = TransferFiles.sha256(file);
			Result first = timed(imports, file, sha, log);
			log.printf(Locale.ROOT, "%nfirst import:  %,d records in %.1f s = %.0f records/s (created %,d, conflicts %,d)%n",
					first.report.read(), first.seconds, first.report.read() / first.seconds, first.report.created(),
					first.report.conflicts());
			Result again = timed(imports, file, sha, log);
			log.printf(Locale.ROOT, "%nsecond import: %,d records in %.1f s = %.0f records/s (unchanged %,d)%n",
					again.report.read(), again.seconds, again.report.read() / again.seconds, again.report.unchanged());
			long users = AccountSeeder.count(database, "SELECT count(*) FROM account_user");
			log.printf(Locale.ROOT, "%,d accounts in the schema; 1,000,000 records would take about %.0f minutes at this rate%n",
					users, 1_000_000 / (first.report.read() / first.seconds) / 60);
			Map<String, Object> result = new LinkedHashMap<>();
			result.put("records", records);
			result.put("workers", Integer.parseInt(o.getOrDefault("workers", "4")));
			result.put("firstSeconds", first.seconds);
			result.put("firstRecordsPerSecond", first.report.read() / first.seconds);
			result.put("created", first.report.created());
			result.put("conflicts", first.report.conflicts());
			result.put("againSeconds", again.seconds);
			result.put("againRecordsPerSecond", again.report.read() / again.seconds);
			result.put("unchanged", again.report.unchanged());
			result.put("accounts", users);
			NodeCommands.writeResult(o, "import", result);
			return first.report.created() == records && again.report.unchanged() == records ? 0 : 1;
		}
	}

	record Result(UserImport.Report report, double seconds) {
	}

	private static Result timed(UserImport imports, Path file, String sha, PrintStream log) {
		long start = System.nanoTime();
		UserImport.Report report = imports.run(() -> TransferFiles.open(file), sha, false, "bench", progress -> {
			if (progress.read() % 10_000 == 0) {
				double s = (System.nanoTime() - start) / 1e9;
				log.printf(Locale.ROOT, "  %s (%.0f/s)%n", progress.progressLine(), progress.read() / s);
			}
		});
		return new Result(report, (System.nanoTime() - start) / 1e9);
	}

	static String line(long i) {
		return String.format(Locale.ROOT,
				"{\"id\":\"old-%d\",\"name\":\"Imported person %d\",\"avatar\":\"https://img.example.com/%d.png\","
						+ "\"wechat\":[{\"appid\":\"wx0000000000000002\",\"openid\":\"oImp%021d\",\"unionid\":\"uImp%021d\"}],"
						+ "\"phones\":[{\"number\":\"+86151%08d\",\"verified\":true}],"
						+ "\"created_at\":\"2020-01-01T00:00:00Z\",\"last_login_at\":\"2024-06-01T00:00:00Z\","
						+ "\"consent\":{\"policy_version\":\"2023-01\",\"at\":\"2023-01-05T10:00:00Z\"},"
						+ "\"subs\":{\"" + CLIENT_ID + "\":\"rp-%d\"}}",
				i, i, i, i, i, i, i);
	}

	static ConfigurableApplicationContext offlineGateway(BenchDatabase database, String workers) {
		Map<String, Object> p = new LinkedHashMap<>(database.properties());
		p.put("tongxing.keys.master-key", Gateway.MASTER_KEY);
		p.put("tongxing.keys.master-key-id", "bench");
		p.put("spring.main.banner-mode", "off");
		p.put("logging.level.root", "WARN");
		p.put("spring.session.jdbc.cleanup-cron", "-");
		p.put("tongxing.transfer.workers", workers);
		// each worker holds a connection for its record's transaction; the audit appender and the rest need theirs
		p.put("spring.datasource.hikari.maximum-pool-size", Integer.parseInt(workers) + 6);
		p.put("tongxing.clients[0].client-id", CLIENT_ID);
		p.put("tongxing.clients[0].client-secret", "bench-rp-secret");
		p.put("tongxing.clients[0].redirect-uris[0]", "https://rp.example.com/callback");
		p.put("tongxing.clients[0].scopes[0]", "openid");
		p.put("tongxing.clients[0].grant-types[0]", "authorization_code");
		String[] args = p.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
		return new SpringApplicationBuilder(dev.tongxing.server.TongxingApplication.class).web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.run(args);
	}

}
