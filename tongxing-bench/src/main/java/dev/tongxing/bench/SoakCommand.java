package dev.tongxing.bench;

import dev.tongxing.wechat.emulator.WechatEmulator;
import dev.tongxing.wechat.emulator.WechatEmulatorOptions;
import dev.tongxing.wechat.emulator.config.EmulatorConfig;
import dev.tongxing.wechat.emulator.fault.FaultRule;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code soak} (issue 12): mixed load for a long time against two gateway nodes (processes of the packaged
 * server on one fresh PostgreSQL schema and Redis, behind {@link SoakBalancer}), WeChat being the emulator with
 * a share of its API calls failing, one node SIGKILLed and started again every {@code --kill-every}, the nodes
 * in turn. At the end: every event the apps were owed received ({@link SoakExpectedEvents}), the audit log
 * verified by the server's own {@code audit verify}, each node process's memory judged
 * ({@link SoakMemory}). Exit code 1 when an event was lost, the audit log does not verify, memory grew, an
 * error had no cause, or no login completed.
 */
final class SoakCommand {

	static final List<String> OPERATIONS = List.of("sign-up", "browser-login", "token-exchange", "refresh",
			"introspection", "consent-withdrawal", "deletion");

	private SoakCommand() {
	}

	static int run(Map<String, String> o, PrintStream log) throws Exception {
		if (o.containsKey("help")) {
			System.err.println(SoakOptions.usage());
			return 2;
		}
		SoakOptions options;
		try {
			options = SoakOptions.parse(o);
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage());
			return 2;
		}
		if (!Files.isRegularFile(options.serverJar())) {
			System.err.println("No gateway jar at " + options.serverJar().toAbsolutePath()
					+ " (build it: ./mvnw -pl tongxing-server -am package -DskipTests, or pass --server-jar=)");
			return 2;
		}
		SoakReport report = new SoakCommand.Run(options, log).call();
		log.println();
		log.print(report.table());
		Files.createDirectories(options.output().toAbsolutePath().getParent());
		Files.writeString(options.output(), report.toJson());
		log.println("written " + options.output().toAbsolutePath().normalize());
		if (!report.failures().isEmpty()) {
			System.err.println("SOAK FAILED: " + String.join("; ", report.failures()));
			return 1;
		}
		return 0;
	}

	/** One node's place behind the balancer: its port stays, its process changes at every kill. */
	static final class Slot {

		final String name;

		final int port;

		volatile NodeCommands.Node node;

		volatile SoakMemory.Lifetime lifetime;

		volatile boolean down;

		Slot(String name, int port) {
			this.name = name;
			this.port = port;
		}

	}

	/** A kill and the restart after it. */
	record Kill(String node, double atSeconds, long killedPid, long newPid, double restartSeconds, String problem) {
	}

	static final class Run {

		private final SoakOptions options;

		private final PrintStream log;

		private final SoakExpectedEvents expected = new SoakExpectedEvents();

		private final SoakMemory memory = new SoakMemory();

		private final List<Slot> slots = new ArrayList<>();

		private final List<Kill> kills = java.util.Collections.synchronizedList(new ArrayList<>());

		private final List<String> nodeErrors = java.util.Collections.synchronizedList(new ArrayList<>());

		private final LinkedBlockingQueue<SoakPerson> idle = new LinkedBlockingQueue<>();

		private final AtomicInteger people = new AtomicInteger();

		private final long startNanos = System.nanoTime();

		/** When the load began (after both nodes started): kills and samples are timed from it. */
		private volatile long loadStartNanos;

		private final SoakOutcomes outcomes = new SoakOutcomes();

		private final java.util.concurrent.atomic.AtomicLong killsBegun = new java.util.concurrent.atomic.AtomicLong();

		private Path logs;

		private Map<String, Object> nodeProperties;

		private String issuer;

		private WechatEmulator emulator;

		Run(SoakOptions options, PrintStream log) {
			this.options = options;
			this.log = log;
		}

		SoakReport call() throws Exception {
			String name = this.options.output().getFileName().toString().replaceFirst("\\.json$", "");
			this.logs = this.options.output().toAbsolutePath().getParent().resolve(name + "-logs");
			Files.createDirectories(this.logs);
			BenchDatabase database = BenchDatabase.freshPostgres();
			int balancerPort = freePort();
			this.issuer = "http://127.0.0.1:" + balancerPort;
			this.slots.add(new Slot("a", freePort()));
			this.slots.add(new Slot("b", freePort()));
			SoakReport.Audit audit;
			SoakExpectedEvents.Match events;
			long balancerRefused;
			double drainSeconds;
			double loadSeconds;
			long redeliveries;
			List<String> invalidEvents;
			try (WechatEmulator emulator = WechatEmulator
				.start(WechatEmulatorOptions.defaults().port(0).seed(System.nanoTime()));
					SoakEventReceiver receiver = new SoakEventReceiver(freePort(), this.issuer);
					SoakBalancer balancer = new SoakBalancer(balancerPort, this.slots.stream().map(s -> s.port).toList())) {
				this.emulator = emulator;
				faults(emulator);
				this.nodeProperties = nodeProperties(database, emulator, receiver);
				this.log.printf(Locale.ROOT, "soak: %s of mixed load, %d workers, WeChat API faults %.0f %%, a node"
						+ " SIGKILLed every %s; PostgreSQL schema %s, Redis 127.0.0.1:6379; issuer %s (balancer) in front"
						+ " of nodes on ports %d and %d; emulator %s; %d CPUs%n", this.options.duration(),
						this.options.concurrency(), this.options.faults() * 100,
						this.options.killEvery().isZero() ? "never" : this.options.killEvery(), database.schema(),
						this.issuer, this.slots.get(0).port, this.slots.get(1).port, emulator.baseUrl(),
						Runtime.getRuntime().availableProcessors());
				startAll();
				for (int i = 0; i < this.options.people(); i++) {
					this.idle.add(newPerson());
				}
				SoakOperations operations = new SoakOperations(this.issuer, emulator, this.expected);
				this.loadStartNanos = System.nanoTime();
				long endNanos = this.loadStartNanos + this.options.duration().toNanos();
				List<Thread> workers = new ArrayList<>();
				for (int i = 0; i < this.options.concurrency(); i++) {
					workers.add(Thread.ofPlatform().name("soak-worker-" + i).start(() -> work(operations, endNanos)));
				}
				Thread killer = Thread.ofPlatform().daemon().name("soak-killer").start(() -> killEvery(endNanos));
				Thread sampler = Thread.ofPlatform().daemon().name("soak-memory").start(() -> sampleEvery(endNanos));
				Thread progress = Thread.ofPlatform().daemon().name("soak-progress").start(() -> progress(endNanos));
				for (Thread worker : workers) {
					worker.join();
				}
				killer.join();
				sampler.join();
				// the last word on every node alive at the end (one restarted late has no other sample)
				for (Slot slot : this.slots) {
					if (!slot.down && slot.lifetime != null) {
						SoakMemory.sample(slot.lifetime, slot.port);
					}
				}
				progress.interrupt();
				loadSeconds = seconds();
				this.log.printf(Locale.ROOT, "load over after %.0f s; draining events (at most %s)%n", loadSeconds,
						this.options.drain());
				long drainStart = System.nanoTime();
				long drainEnd = drainStart + this.options.drain().toNanos();
				events = this.expected.match(receiver.received());
				while (!events.lost().isEmpty() && System.nanoTime() < drainEnd) {
					Thread.sleep(2000);
					events = this.expected.match(receiver.received());
				}
				// late redeliveries still arrive for a moment: counted, not waited for
				drainSeconds = (System.nanoTime() - drainStart) / 1e9;
				redeliveries = receiver.redeliveries();
				invalidEvents = receiver.invalid();
				balancerRefused = balancer.refused();
				for (Slot slot : this.slots) {
					stop(slot);
				}
				audit = auditVerify();
			}
			SoakReport report = new SoakReport(this.options, database.schema(), loadSeconds, this.outcomes, events,
					redeliveries, invalidEvents, drainSeconds, audit, List.copyOf(this.kills), this.memory.lifetimes(),
					balancerRefused, List.copyOf(this.nodeErrors), this.people.get(), this.logs);
			if (report.failures().isEmpty()) {
				database.close(); // a failed soak's schema stays, for a look at what went wrong
			}
			else {
				this.log.println("schema " + database.schema() + " kept for investigation (drop-schema --schema="
						+ database.schema() + ")");
			}
			return report;
		}

		/**
		 * The share of the gateway's WeChat API calls that fail, split evenly over three ways WeChat fails: a
		 * system error (errcode -1, nothing consumed), a dropped connection, and nginx's 502 page after the call
		 * was processed (the code spent). Each rule draws on its own, so each gets the rate that makes one of the
		 * three hit a call with probability {@code faults}.
		 */
		private void faults(WechatEmulator emulator) {
			if (this.options.faults() == 0) {
				return;
			}
			double each = 1 - Math.pow(1 - this.options.faults(), 1.0 / 3);
			FaultRule error = FaultRule.errcode("/sns/*", -1, each);
			FaultRule drop = FaultRule.drop("/sns/*", each);
			FaultRule html = FaultRule.malformed("/sns/*", "html", each);
			emulator.control().addFault(error);
			emulator.control().addFault(drop);
			emulator.control().addFault(html);
		}

		private Map<String, Object> nodeProperties(BenchDatabase database, WechatEmulator emulator,
				SoakEventReceiver receiver) {
			Map<String, Object> p = new LinkedHashMap<>(database.properties());
			p.putAll(Gateway.clients(new Gateway.Needs(false, false, true, true)));
			// the web app is a third party: its people see the consent page, and can withdraw it
			p.put("tongxing.clients[1].first-party", false);
			p.put("tongxing.clients[1].events-endpoint", receiver.endpoint(Gateway.WEB_CLIENT_ID));
			p.put("tongxing.clients[2].events-endpoint", receiver.endpoint(Gateway.APP_CLIENT_ID));
			p.putAll(Gateway.wechat(emulator.baseUrl()));
			p.put("spring.data.redis.host", "127.0.0.1");
			p.put("spring.data.redis.port", 6379);
			p.put("tongxing.deletion.cooling-off", this.options.coolingOff().toString());
			p.put("tongxing.deletion.check-interval", "PT5S");
			p.put("spring.main.banner-mode", "off");
			return p;
		}

		/**
		 * One node after the other: the first migrates the fresh schema and imports the clients. Two first starts
		 * at once on an empty schema failed (the second node exited: duplicate key on
		 * {@code oauth2_registered_client_pkey}, both importing {@code client-bench}); see the README's soak report.
		 */
		private void startAll() throws Exception {
			try {
				for (Slot slot : this.slots) {
					start(slot);
				}
			}
			catch (Exception ex) {
				for (Slot slot : this.slots) {
					if (slot.node != null) {
						slot.node.close();
					}
				}
				throw ex;
			}
		}

		private void start(Slot slot) throws Exception {
			NodeCommands.Node node = NodeCommands.Node.start(this.options.nodeOptions(), this.nodeProperties, null,
					slot.port, this.issuer, this.options.startTimeout());
			slot.node = node;
			slot.lifetime = this.memory.started(slot.name, node.pid());
			this.log.printf(Locale.ROOT, "node %s #%d (pid %d) healthy on port %d after %.1f s%n", slot.name,
					slot.lifetime.number, node.pid(), slot.port, node.startSeconds());
		}

		/** A graceful stop at the end; its log is kept next to the report. */
		private void stop(Slot slot) throws Exception {
			NodeCommands.Node node = slot.node;
			if (node == null) {
				return;
			}
			slot.down = true;
			keepLog(slot); // before close, which deletes the node's temporary log
			node.close();
			slot.lifetime.endedAfterSeconds = (System.nanoTime() - slot.lifetime.startedNanos) / 1e9;
		}

		private void keepLog(Slot slot) {
			try {
				Path kept = this.logs.resolve("node-" + slot.name + "-" + slot.lifetime.number + ".log");
				Files.copy(slot.node.logFile(), kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
				try (var lines = Files.lines(kept)) {
					lines.filter(l -> l.contains(" ERROR ") || l.startsWith("Exception") || l.contains("OutOfMemoryError"))
						.forEach(l -> this.nodeErrors.add("node " + slot.name + " #" + slot.lifetime.number + ": "
								+ (l.length() > 400 ? l.substring(0, 400) + "…" : l)));
				}
			}
			catch (IOException | RuntimeException ex) {
				this.nodeErrors.add("node " + slot.name + ": its log could not be kept: " + ex);
			}
		}

		// ---- the workers

		private void work(SoakOperations operations, long endNanos) {
			while (System.nanoTime() < endNanos) {
				SoakPerson person;
				try {
					person = this.idle.poll(1, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					return;
				}
				if (person == null) {
					continue;
				}
				try {
					once(operations, person);
				}
				finally {
					this.idle.add(person.deleted ? newPerson() : person);
				}
			}
		}

		private void once(SoakOperations operations, SoakPerson person) {
			String operation = choose(person);
			long kills = this.killsBegun.get();
			boolean down = anyDown();
			try {
				switch (operation) {
					case "sign-up", "token-exchange" -> operations.tokenExchange(person);
					case "browser-login" -> operations.browserLogin(person);
					case "refresh" -> operations.refresh(person, pick(person, true));
					case "introspection" -> operations.introspect(person, pick(person, false));
					case "consent-withdrawal" -> operations.withdraw(person);
					case "deletion" -> operations.delete(person);
					default -> throw new IllegalStateException(operation);
				}
				this.outcomes.success(operation);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (Exception | AssertionError ex) {
				this.outcomes.failure(operation, ex, down || anyDown() || this.killsBegun.get() != kills);
			}
		}

		private boolean anyDown() {
			return this.slots.stream().anyMatch(s -> s.down);
		}

		/** An operation the person can do now, by weight: logins and tokens most, deletions least. */
		private static String choose(SoakPerson person) {
			if (!person.hasAccount()) {
				return "sign-up";
			}
			Map<String, Integer> weights = new LinkedHashMap<>();
			weights.put("browser-login", 30);
			weights.put("token-exchange", 20);
			if (pick(person, true) != null) {
				weights.put("refresh", 20);
			}
			if (pick(person, false) != null) {
				weights.put("introspection", 20);
			}
			if (person.webConsent) {
				weights.put("consent-withdrawal", 5);
			}
			weights.put("deletion", 3);
			int total = weights.values().stream().mapToInt(Integer::intValue).sum();
			int r = ThreadLocalRandom.current().nextInt(total);
			for (Map.Entry<String, Integer> w : weights.entrySet()) {
				r -= w.getValue();
				if (r < 0) {
					return w.getKey();
				}
			}
			throw new IllegalStateException();
		}

		/** An app holding a refresh token (or a live access token) for the person, or null. */
		private static String pick(SoakPerson person, boolean refresh) {
			long now = Instant.now().getEpochSecond();
			List<String> clients = person.tokens.entrySet().stream()
				.filter(e -> refresh ? e.getValue().refreshToken() != null : e.getValue().accessExpiresAt() > now + 15)
				.map(Map.Entry::getKey)
				.toList();
			return clients.isEmpty() ? null : clients.get(ThreadLocalRandom.current().nextInt(clients.size()));
		}

		/** A new emulator user, who signs up by the mobile app first. */
		private SoakPerson newPerson() {
			int n = this.people.getAndIncrement();
			String id = "soak-" + n;
			this.emulator.control().addUser(new EmulatorConfig.UserConfig(id, "Soak " + n,
					"https://thirdwx.qlogo.cn/mmopen/vi_32/emulator-" + id + "/132",
					String.format(Locale.ROOT, "+86 137%08d", n)));
			return new SoakPerson(id);
		}

		// ---- kills, memory, progress

		private void killEvery(long endNanos) {
			if (this.options.killEvery().isZero()) {
				return;
			}
			int turn = 0;
			long next = this.loadStartNanos + this.options.killEvery().toNanos();
			while (next < endNanos) {
				if (!sleepUntil(next)) {
					return;
				}
				java.util.Optional<Slot> stillDown = this.slots.stream().filter(s -> s.down).findFirst();
				if (stillDown.isPresent()) {
					// its restart failed (a start on a busy machine can take minutes): the load must keep a
					// survivor, so no kill now; the dead node is started again instead
					restart(stillDown.get());
				}
				else {
					kill(this.slots.get(turn++ % this.slots.size()));
				}
				// the next kill a whole period after this one: a slow restart must not bring kills closer together
				next = Math.max(next + this.options.killEvery().toNanos(), System.nanoTime() + this.options.killEvery().toNanos() / 2);
			}
		}

		private void kill(Slot slot) {
			if (slot.down) {
				return; // it did not come back from the last kill: nothing to kill
			}
			double at = seconds();
			long killed = slot.node.pid();
			long t0 = System.nanoTime();
			try {
				slot.down = true;
				this.killsBegun.incrementAndGet();
				slot.node.kill();
				slot.lifetime.endedAfterSeconds = (System.nanoTime() - slot.lifetime.startedNanos) / 1e9;
				keepLog(slot);
				slot.node.close(); // its temporary log
				this.log.printf(Locale.ROOT, "%.0f s: node %s (pid %d) SIGKILLed; starting it again%n", at, slot.name,
						killed);
				start(slot);
				this.kills.add(new Kill(slot.name, at, killed, slot.node.pid(), (System.nanoTime() - t0) / 1e9, null));
			}
			catch (Exception ex) {
				this.kills.add(new Kill(slot.name, at, killed, -1, (System.nanoTime() - t0) / 1e9, ex.toString()));
				this.log.println("node " + slot.name + " did not come back: " + ex);
				return;
			}
			finally {
				if (slot.node != null && slot.node.pid() != killed) {
					slot.down = false;
				}
			}
		}

		private void restart(Slot slot) {
			double at = seconds();
			long t0 = System.nanoTime();
			try {
				start(slot);
				slot.down = false;
				// killedPid -1: a start after a failed one, no kill
				this.kills.add(new Kill(slot.name, at, -1, slot.node.pid(), (System.nanoTime() - t0) / 1e9, null));
			}
			catch (Exception ex) {
				this.kills.add(new Kill(slot.name, at, -1, -1, (System.nanoTime() - t0) / 1e9, ex.toString()));
			}
		}

		private void sampleEvery(long endNanos) {
			long next = this.loadStartNanos;
			while (next < endNanos) {
				for (Slot slot : this.slots) {
					SoakMemory.Lifetime lifetime = slot.lifetime;
					if (!slot.down && lifetime != null) {
						SoakMemory.sample(lifetime, slot.port);
					}
				}
				// a sample (a full GC by jcmd) can take long on a busy machine: never catch up in a burst
				next = Math.max(next + this.options.sampleEvery().toNanos(), System.nanoTime());
				if (!sleepUntil(Math.min(next, endNanos))) {
					return;
				}
			}
		}

		private void progress(long endNanos) {
			while (sleepUntil(Math.min(System.nanoTime() + TimeUnit.MINUTES.toNanos(1), endNanos))
					&& System.nanoTime() < endNanos) {
				StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%.0f s:", seconds()));
				for (String op : OPERATIONS) {
					line.append(' ').append(op).append(' ').append(this.outcomes.successes(op)).append('/')
						.append(this.outcomes.errorCount(op));
				}
				this.log.println(line.append(" (ok/errors); events owed ").append(this.expected.expected()));
			}
		}

		private static boolean sleepUntil(long nanos) {
			try {
				long wait = nanos - System.nanoTime();
				if (wait > 0) {
					TimeUnit.NANOSECONDS.sleep(wait);
				}
				return true;
			}
			catch (InterruptedException ex) {
				return false;
			}
		}

		/** Seconds since the load began. */
		private double seconds() {
			return (System.nanoTime() - (this.loadStartNanos == 0 ? this.startNanos : this.loadStartNanos)) / 1e9;
		}

		// ---- audit verify: the server's own command against the soak's database

		private SoakReport.Audit auditVerify() throws Exception {
			List<String> node = NodeCommands.Node.command(this.options.nodeOptions(), this.nodeProperties, 0, this.issuer);
			List<String> command = new ArrayList<>();
			for (String arg : node) {
				if (!arg.startsWith("--server.")) {
					command.add(arg);
				}
				if (arg.endsWith(".jar") && command.size() > 1 && command.get(command.size() - 2).equals("-jar")) {
					command.add("audit");
					command.add("verify");
				}
			}
			Path output = this.logs.resolve("audit-verify.log");
			long t0 = System.nanoTime();
			Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
			if (!process.waitFor(10, TimeUnit.MINUTES)) {
				process.destroyForcibly();
				return new SoakReport.Audit(false, -1, -1, "audit verify did not finish within 10 minutes", 0);
			}
			String out = Files.readString(output);
			java.util.regex.Matcher intact = java.util.regex.Pattern
				.compile("Audit log intact: (\\d+) entries \\(last seq (\\d+)\\), (\\d+) signed checkpoints")
				.matcher(out);
			String line = out.lines().filter(l -> l.startsWith("Audit log")).findFirst()
				.orElse("no verdict in its output (" + output + ")");
			double took = (System.nanoTime() - t0) / 1e9;
			if (process.exitValue() == 0 && intact.find()) {
				return new SoakReport.Audit(true, Long.parseLong(intact.group(1)), Integer.parseInt(intact.group(3)),
						line, took);
			}
			return new SoakReport.Audit(false, -1, -1, "exit " + process.exitValue() + ": " + line, took);
		}

	}

	/** A port to listen on, below the kernel's ephemeral range (where outgoing connections take theirs). */
	static int freePort() throws IOException {
		int below = 32768;
		try {
			String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
			below = Math.max(21000, Integer.parseInt(range[0]));
		}
		catch (IOException | RuntimeException unreadable) {
			// Linux's default
		}
		for (int tries = 0; tries < 200; tries++) {
			int port = ThreadLocalRandom.current().nextInt(20000, below);
			try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
				return port;
			}
			catch (IOException inUse) {
				// another one
			}
		}
		throw new IOException("No free port between 20000 and " + below);
	}

}
