package dev.tongxing.bench;

import dev.tongxing.wechat.emulator.WechatEmulator;
import dev.tongxing.wechat.emulator.WechatEmulatorOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Commands about a gateway node as a whole, each a separate process started from the production jar:
 * <ul>
 * <li>{@code seed}: load people into a PostgreSQL schema (see {@link AccountSeeder});</li>
 * <li>{@code node-memory}: start a node against that schema, serve logins and grants, read its resident set
 * size from {@code /proc/PID/status};</li>
 * <li>{@code startup}: time from starting the embedded default (H2 file database in an empty directory) to
 * the first successful {@code /actuator/health}.</li>
 * </ul>
 * Options are {@code --name=value}; results are printed and written as JSON ({@code --output=}).
 */
final class NodeCommands {

	private NodeCommands() {
	}

	static int run(String[] args) throws Exception {
		Map<String, String> o = options(args);
		PrintStream log = System.out;
		return switch (args[0]) {
			case "seed" -> seed(o, log);
			case "node-memory" -> nodeMemory(o, log);
			case "startup" -> startup(o, log);
			case "import" -> ImportBench.run(o, log);
			case "analytics-queries" -> AnalyticsQueryBench.run(o, log);
			case "soak" -> SoakCommand.run(o, log);
			default -> {
				System.err.println("""
						usage: java -jar tongxing-bench.jar [--workload options]        the token-path benchmarks
						       java -jar tongxing-bench.jar seed --accounts=1000000 --schema=bench_seed [--threads=2] [--batch=2000]
						       java -jar tongxing-bench.jar node-memory --schema=bench_seed [--server-jar=PATH] [--jvm-options="-Xmx…"] [--grants=2000] [--logins=20]
						       java -jar tongxing-bench.jar startup [--server-jar=PATH] [--runs=3] [--jvm-options=…] [--aot-cache=on|off]
						       java -jar tongxing-bench.jar drop-schema --schema=bench_seed
						       java -jar tongxing-bench.jar import [--records=100000] [--workers=4] [--file=PATH]
						       java -jar tongxing-bench.jar analytics-queries [--people=1000000] [--days=365] [--range-days=90] [--repeat=30] [--schema=NAME]
						       java -jar tongxing-bench.jar soak [--duration=PT1H] [--faults=0.10] [--kill-every=PT10M] [--concurrency=8] (soak --help)""");
				yield 2;
			}
			case "drop-schema" -> {
				try (BenchDatabase db = BenchDatabase.postgres(required(o, "schema"))) {
					try (var c = java.sql.DriverManager.getConnection(BenchDatabase.PG_URL, BenchDatabase.PG_USER,
							BenchDatabase.PG_PASSWORD); var s = c.createStatement()) {
						s.execute("DROP SCHEMA IF EXISTS " + db.schema() + " CASCADE");
					}
				}
				log.println("dropped " + o.get("schema"));
				yield 0;
			}
		};
	}

	private static int seed(Map<String, String> o, PrintStream log) throws Exception {
		long accounts = Long.parseLong(o.getOrDefault("accounts", "1000000"));
		int threads = Integer.parseInt(o.getOrDefault("threads", "2"));
		int batch = Integer.parseInt(o.getOrDefault("batch", "2000"));
		BenchDatabase database = BenchDatabase.postgres(o.getOrDefault("schema", "bench_seed"));
		long t0 = System.nanoTime();
		try (ConfigurableApplicationContext gateway = AccountSeeder.offlineGateway(database)) {
			long existing = AccountSeeder.count(database, "SELECT count(*) FROM account_user");
			if (existing > 0) {
				log.println("schema " + database.schema() + " already has " + existing
						+ " accounts: seed an empty schema (drop-schema first)");
				return 1;
			}
			log.printf(Locale.ROOT, "gateway (offline) migrated schema %s in %.1f s; seeding %,d people with %d threads%n",
					database.schema(), (System.nanoTime() - t0) / 1e9, accounts, threads);
			long t1 = System.nanoTime();
			long done = AccountSeeder.of(gateway, database).seed(0, accounts, threads, batch, log);
			double seconds = (System.nanoTime() - t1) / 1e9;
			AccountSeeder.verify(gateway, database, accounts, 5);
			long users = AccountSeeder.count(database, "SELECT count(*) FROM account_user");
			long identities = AccountSeeder.count(database, "SELECT count(*) FROM account_identity");
			long size = AccountSeeder.count(database, "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c"
					+ " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'");
			log.printf(Locale.ROOT, "seeded %,d people in %.1f s (%.0f/s): %,d accounts, %,d identities, %,d MB on disk;"
					+ " 5 sample people signed in through the gateway's account service landed on their seeded accounts%n",
					done, seconds, done / seconds, users, identities, size >> 20);
			write(o, "seed", Map.of("schema", q(database.schema()), "people", done, "seconds", seconds,
					"accounts", users, "identities", identities, "bytesOnDisk", size));
			return 0;
		}
	}

	private static int nodeMemory(Map<String, String> o, PrintStream log) throws Exception {
		BenchDatabase database = BenchDatabase.postgres(o.getOrDefault("schema", "bench_seed"));
		long accounts = AccountSeeder.count(database, "SELECT count(*) FROM account_user");
		int grants = Integer.parseInt(o.getOrDefault("grants", "2000"));
		int logins = Integer.parseInt(o.getOrDefault("logins", "20"));
		// a seed of its own: the emulator's codes are reproducible per seed, and the gateway refuses a code it has
		// seen before (the seeded schema keeps the codes of the seeding's sample sign-ins)
		try (WechatEmulator emulator = WechatEmulator
			.start(WechatEmulatorOptions.defaults().port(0).seed(System.nanoTime()))) {
			Map<String, Object> p = new LinkedHashMap<>(database.properties());
			p.putAll(Gateway.clients(new Gateway.Needs(false, false, false, true)));
			p.putAll(Gateway.wechat(emulator.baseUrl()));
			try (Node node = Node.start(o, p, null, log)) {
				log.printf(Locale.ROOT, "node (pid %d) healthy after %.1f s against %,d accounts; RSS %,d MB%n", node.pid(),
						node.startSeconds(), accounts, node.rssKb() >> 10);
				BenchSetup setup = new BenchSetup(node.asGateway(emulator));
				List<String> people;
				try {
					people = Workloads.Users.persons(setup, logins);
				}
				catch (RuntimeException ex) {
					throw new IllegalStateException(ex.getMessage() + "\nThe node logged:\n" + node.logTail(), ex);
				}
				for (int i = 0; i < grants; i++) {
					setup.post("/oauth2/token", Gateway.CLIENT_ID, Gateway.CLIENT_SECRET,
							Map.of("grant_type", "client_credentials", "scope", Gateway.SCOPE));
				}
				for (String person : people) {
					setup.tokenExchange(Gateway.APP_CLIENT_ID, Gateway.APP_CLIENT_SECRET, person, Gateway.USER_SCOPE);
				}
				Thread.sleep(2000);
				long rss = node.rssKb();
				long hwm = node.status("VmHWM");
				log.printf(Locale.ROOT, "after %d new-person WeChat logins (twice each), %d client_credentials grants:"
						+ " RSS %,d MB (peak %,d MB); JVM options %s; issue 10 target: <= 512 MB with 1 M accounts%n",
						logins, grants, rss >> 10, hwm >> 10, node.jvmOptions());
				write(o, "node-memory", Map.of("accounts", accounts, "rssKb", rss, "peakRssKb", hwm,
						"startSeconds", node.startSeconds(), "grants", grants, "logins", logins * 2,
						"jvmOptions", q(String.join(" ", node.jvmOptions())), "target", q("<= 512 MB with 1 M accounts"),
						"targetMet", accounts >= 1_000_000 && rss <= 512 * 1024));
				return 0;
			}
		}
	}

	private static int startup(Map<String, String> o, PrintStream log) throws Exception {
		int runs = Integer.parseInt(o.getOrDefault("runs", "3"));
		boolean aot = !"off".equals(o.getOrDefault("aot-cache", "on"))
				&& Runtime.version().feature() >= 25;
		Path dir = Files.createTempDirectory("tongxing-startup");
		try {
			// the baseline: the fat jar as it is built, started the plain way
			Starts plain = starts("plain java -jar", o, dir.resolve("plain"), runs, log);
			Starts cached = null;
			if (aot) {
				Map<String, String> withCache = aotCache(o, dir.resolve("aot"), log);
				cached = starts("extracted jar + AOT cache (bin/run)", withCache, dir.resolve("aot-db"), runs, log);
			}
			Map<String, Object> result = new LinkedHashMap<>();
			result.put("firstStartSeconds", plain.first());
			result.put("fastestRestartSeconds", plain.fastestRestart());
			result.put("runs", plain.seconds().toString());
			result.put("rssKb", plain.rssKb().toString());
			if (cached != null) {
				result.put("aotFirstStartSeconds", cached.first());
				result.put("aotFastestRestartSeconds", cached.fastestRestart());
				result.put("aotRuns", cached.seconds().toString());
				result.put("aotRssKb", cached.rssKb().toString());
				result.put("aotToPlainRatio", cached.fastestRestart() / plain.fastestRestart());
				log.printf(Locale.ROOT, "AOT cache: fastest restart %.2f s against %.2f s plain (ratio %.2f)%n",
						cached.fastestRestart(), plain.fastestRestart(), cached.fastestRestart() / plain.fastestRestart());
			}
			Starts best = cached != null ? cached : plain;
			result.put("target", q("<= 5 s"));
			result.put("targetMet", best.first() <= 5.0 && best.fastestRestart() <= 5.0);
			write(o, "startup", result);
			return 0;
		}
		finally {
			try (Stream<Path> files = Files.walk(dir)) {
				files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
			}
		}
	}

	record Starts(List<Double> seconds, List<Long> rssKb) {

		double first() {
			return this.seconds.getFirst();
		}

		double fastestRestart() {
			return this.seconds.stream().skip(1).mapToDouble(Double::doubleValue).min().orElse(first());
		}

	}

	/** {@code runs} starts on one new H2 file database: the first migrates it, the others restart on it. */
	private static Starts starts(String label, Map<String, String> o, Path dir, int runs, PrintStream log)
			throws Exception {
		Files.createDirectories(dir);
		List<Double> seconds = new ArrayList<>();
		List<Long> rss = new ArrayList<>();
		for (int run = 0; run < runs; run++) {
			try (Node node = Node.start(o, Map.of(), dir, log)) {
				seconds.add(node.startSeconds());
				rss.add(node.rssKb());
				log.printf(Locale.ROOT, "%s, run %d (%s): healthy after %.2f s, RSS %,d MB%n", label, run + 1,
						run == 0 ? "new database: Flyway migrates it" : "restart on the same database",
						node.startSeconds(), node.rssKb() >> 10);
			}
		}
		Starts starts = new Starts(seconds, rss);
		log.printf(Locale.ROOT, "%s (H2 file): first start %.2f s, fastest restart %.2f s; issue 10 target: <= 5 s%n",
				label, starts.first(), starts.fastestRestart());
		return starts;
	}

	/**
	 * What {@code bin/run} does: extract the fat jar into plain jars (the JVM's cache cannot map classes out of
	 * nested jars) and make the JVM's ahead-of-time cache (JEP 483/514) with one training run that stops when
	 * the application context is ready. Returns the options that start a node from it.
	 */
	private static Map<String, String> aotCache(Map<String, String> o, Path dir, PrintStream log) throws Exception {
		Path jar = Path.of(o.getOrDefault("server-jar", "tongxing-server/target/tongxing-server.jar")).toAbsolutePath();
		Path app = dir.resolve("app");
		Files.createDirectories(dir);
		run(dir, log, java(), "-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination", app.toString());
		Path cache = app.resolve("tongxing.aot");
		Map<String, String> trained = new LinkedHashMap<>(o);
		trained.put("server-jar", app.resolve(jar.getFileName()).toString());
		String jvm = o.getOrDefault("jvm-options", "").trim();
		trained.put("jvm-options", (jvm + " -XX:AOTCacheOutput=" + cache + " -Xlog:aot=error"
				+ " -Dspring.context.exit=onRefresh").trim());
		long t0 = System.nanoTime();
		run(dir, log, Node.command(trained, Map.of(), freePort()).toArray(String[]::new));
		log.printf(Locale.ROOT, "AOT cache trained in %.1f s (%,d MB)%n", (System.nanoTime() - t0) / 1e9,
				Files.size(cache) >> 20);
		Map<String, String> cached = new LinkedHashMap<>(o);
		cached.put("server-jar", trained.get("server-jar"));
		cached.put("jvm-options", (jvm + " -XX:AOTCache=" + cache + " -Xlog:aot=error").trim());
		return cached;
	}

	private static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	private static void run(Path dir, PrintStream log, String... command) throws Exception {
		Path output = Files.createTempFile(dir, "command", ".log");
		Process process = new ProcessBuilder(command).directory(dir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.start();
		if (!process.waitFor(5, java.util.concurrent.TimeUnit.MINUTES) || process.exitValue() != 0) {
			process.destroyForcibly();
			throw new IllegalStateException(String.join(" ", command) + " failed:\n" + Files.readString(output));
		}
	}

	/** A gateway JVM of its own, started from the production jar, bound to 127.0.0.1 on a free port. */
	static final class Node implements AutoCloseable {

		/** The command line of a node on {@code port}: the bench's client, master key and issuer. */
		static List<String> command(Map<String, String> o, Map<String, Object> properties, int port) {
			return command(o, properties, port, "http://127.0.0.1:" + port);
		}

		/** The same behind a balancer: the node listens on {@code port}, its issuer is the balancer's URL. */
		static List<String> command(Map<String, String> o, Map<String, Object> properties, int port, String issuer) {
			Path jar = Path.of(o.getOrDefault("server-jar", "tongxing-server/target/tongxing-server.jar"));
			if (!Files.isRegularFile(jar)) {
				throw new IllegalArgumentException("No gateway jar at " + jar.toAbsolutePath()
						+ " (build it: ./mvnw -pl tongxing-server -am package -DskipTests, or pass --server-jar=)");
			}
			List<String> command = new ArrayList<>();
			command.add(java());
			command.addAll(jvmOptions(o));
			command.add("-jar");
			command.add(jar.toAbsolutePath().toString());
			command.add("--server.address=127.0.0.1");
			command.add("--server.port=" + port);
			command.add("--tongxing.issuer=" + issuer);
			command.add("--tongxing.keys.master-key=" + Gateway.MASTER_KEY);
			command.add("--tongxing.keys.master-key-id=bench");
			command.add("--tongxing.clients[0].client-id=" + Gateway.CLIENT_ID);
			command.add("--tongxing.clients[0].client-secret=" + Gateway.CLIENT_SECRET);
			command.add("--tongxing.clients[0].scopes[0]=" + Gateway.SCOPE);
			command.add("--tongxing.clients[0].grant-types[0]=client_credentials");
			Map<String, Object> unlimited = new LinkedHashMap<>();
			Gateway.unlimited(unlimited, "tongxing.clients[0].");
			unlimited.forEach((k, v) -> command.add("--" + k + "=" + v));
			command.add("--logging.level.root=WARN");
			properties.forEach((k, v) -> command.add("--" + k + "=" + v));
			return command;
		}

		private static List<String> jvmOptions(Map<String, String> o) {
			return o.containsKey("jvm-options") && !o.get("jvm-options").isBlank()
					? List.of(o.get("jvm-options").trim().split("\\s+")) : List.of();
		}


		private final Process process;

		private final int port;

		private final double startSeconds;

		private final List<String> jvmOptions;

		private Path output;

		private Node(Process process, int port, double startSeconds, List<String> jvmOptions) {
			this.process = process;
			this.port = port;
			this.startSeconds = startSeconds;
			this.jvmOptions = jvmOptions;
		}

		static Node start(Map<String, String> o, Map<String, Object> properties, Path workDir, PrintStream log)
				throws Exception {
			int port = freePort();
			return start(o, properties, workDir, port, "http://127.0.0.1:" + port, Duration.ofMinutes(3));
		}

		/** A node on a given port with a given issuer (the soak's nodes, behind its balancer). */
		static Node start(Map<String, String> o, Map<String, Object> properties, Path workDir, int port,
				String issuer, Duration healthyWithin) throws Exception {
			List<String> command = command(o, properties, port, issuer);
			List<String> jvm = jvmOptions(o);
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
			Path output = Files.createTempFile("tongxing-node", ".log");
			builder.redirectOutput(output.toFile());
			if (workDir != null) {
				builder.directory(workDir.toFile());
			}
			long t0 = System.nanoTime();
			Process process = builder.start();
			try (HttpClient http = HttpClient.newHttpClient()) {
				long deadline = t0 + healthyWithin.toNanos();
				while (System.nanoTime() < deadline) {
					if (!process.isAlive()) {
						throw new IllegalStateException("The gateway exited with " + process.exitValue() + ":\n"
								+ tail(output));
					}
					try {
						HttpResponse<String> health = http.send(HttpRequest
							.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
							.timeout(Duration.ofSeconds(2))
							.build(), HttpResponse.BodyHandlers.ofString());
						if (health.statusCode() == 200) {
							double seconds = (System.nanoTime() - t0) / 1e9;
							Node node = new Node(process, port, seconds, jvm);
							node.output = output; // kept until the node is closed: what it logged explains a failure
							return node;
						}
					}
					catch (ConnectException | java.net.http.HttpTimeoutException notYet) {
						// not listening yet
					}
					Thread.sleep(20);
				}
				throw new IllegalStateException("The gateway was not healthy within " + healthyWithin + ":\n"
						+ tail(output));
			}
			catch (RuntimeException | InterruptedException | IOException ex) {
				process.destroyForcibly();
				throw ex;
			}
		}

		private static String tail(Path output) throws IOException {
			List<String> lines = Files.readAllLines(output);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
		}

		long pid() {
			return this.process.pid();
		}

		int port() {
			return this.port;
		}

		/** What the node logged so far (deleted on {@link #close}). */
		Path logFile() {
			return this.output;
		}

		/** SIGKILL: no shutdown hook, no graceful stop, as when the machine or the OOM killer takes it. */
		void kill() throws InterruptedException {
			this.process.destroyForcibly();
			this.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
		}

		double startSeconds() {
			return this.startSeconds;
		}

		List<String> jvmOptions() {
			return this.jvmOptions;
		}

		long rssKb() throws IOException {
			return status("VmRSS");
		}

		/** A {@code kB} field of {@code /proc/PID/status}, e.g. {@code VmRSS}, {@code VmHWM}. */
		long status(String field) throws IOException {
			for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
				if (line.startsWith(field + ":")) {
					return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
				}
			}
			throw new IllegalStateException("No " + field + " in /proc/" + pid() + "/status");
		}

		/** This node seen as the bench's {@link Gateway} (for the set-up helpers). */
		Gateway asGateway(WechatEmulator emulator) {
			return Gateway.external(this.port, emulator);
		}

		/** The last lines the node logged. */
		String logTail() throws IOException {
			return this.output == null ? "" : tail(this.output);
		}

		@Override
		public void close() throws InterruptedException {
			closeProcess();
			try {
				if (this.output != null) {
					Files.deleteIfExists(this.output);
				}
			}
			catch (IOException ignored) {
				// a temporary file
			}
		}

		private void closeProcess() throws InterruptedException {
			this.process.destroy();
			if (!this.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
				this.process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
			}
		}

	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			return socket.getLocalPort();
		}
	}

	private static Map<String, String> options(String[] args) {
		Map<String, String> o = new LinkedHashMap<>();
		for (int i = 1; i < args.length; i++) {
			String a = args[i];
			if (a.equals("--help") || a.equals("-h")) {
				o.put("help", "");
				continue;
			}
			int eq = a.indexOf('=');
			if (!a.startsWith("--") || eq < 0) {
				throw new IllegalArgumentException("Unknown argument " + a);
			}
			o.put(a.substring(2, eq), a.substring(eq + 1));
		}
		return o;
	}

	private static String required(Map<String, String> o, String name) {
		String v = o.get(name);
		if (v == null || v.isBlank()) {
			throw new IllegalArgumentException("--" + name + "= is required");
		}
		return v;
	}

	private static String q(String s) {
		return BenchResult.jsonString(s);
	}

	static void writeResult(Map<String, String> o, String name, Map<String, Object> values) throws IOException {
		write(o, name, values);
	}

	/** The result as a flat JSON object, to {@code --output=} (default {@code target/NAME.json}). */
	private static void write(Map<String, String> o, String name, Map<String, Object> values) throws IOException {
		StringBuilder b = new StringBuilder("{\n  \"command\": \"" + name + "\",\n  \"timestamp\": \""
				+ java.time.Instant.now() + "\"");
		values.forEach((k, v) -> b.append(",\n  \"").append(k).append("\": ").append(v instanceof String s && !s.startsWith("\"") && !s.startsWith("[") ? q(s) : v));
		b.append("\n}\n");
		Path out = o.containsKey("output") ? Path.of(o.get("output"))
				: BenchOptions.defaultOutput().resolveSibling(name + ".json");
		Files.createDirectories(out.toAbsolutePath().getParent());
		Files.writeString(out, b.toString());
		System.out.println("written " + out.toAbsolutePath().normalize());
	}

}
