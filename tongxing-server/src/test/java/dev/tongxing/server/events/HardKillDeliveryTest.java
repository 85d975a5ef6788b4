package dev.tongxing.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tongxing.server.TongxingApplication;
import dev.tongxing.server.testing.FreePort;
import dev.tongxing.server.testing.Postgres;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * No event is lost when gateway processes are killed (SIGKILL, no shutdown hooks) at any point: each node
 * is a separate JVM running the real application on one PostgreSQL schema. Node A queues an event and dies
 * before its first attempt; node B picks it up and dies while the receiver holds the request open (the
 * receiver has already acted on it); node C, once B's lease has run out, delivers it again with the same
 * jti, and the receiver's de-duplication leaves exactly one effect.
 */
class HardKillDeliveryTest {

	static final String PATH = "/rp-one/events";

	private final TestReceiver receiver = new TestReceiver(FreePort.find());

	private final Postgres postgres = new Postgres();

	private final List<Process> processes = new ArrayList<>();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	@AfterEach
	void stop() throws Exception {
		this.processes.forEach(Process::destroyForcibly);
		for (Process p : this.processes) {
			p.waitFor();
		}
		this.receiver.close();
		this.postgres.close();
	}

	@Test
	void noEventIsLostWhenNodesAreKilledBeforeOrDuringDelivery() throws Exception {
		int portA = FreePort.find();
		String issuer = "http://127.0.0.1:" + portA; // the public name every node shares

		// A queues an event and is killed before its worker ever runs
		Process a = start("a", portA, issuer, Map.of("tongxing.events.poll-interval", "1h"));
		this.receiver.trust(issuer);
		String jti = queueVerification(issuer);
		a.destroyForcibly().waitFor();
		assertThat(row(jti)).containsEntry("status", "pending").containsEntry("attempts", 0);
		assertThat(this.receiver.requestsStarted()).isEmpty();

		// B delivers it; the receiver acts on it but holds the answer, and B is killed mid-delivery
		this.receiver.script("rp-one", "events", TestReceiver.Script.hold(Duration.ofSeconds(60)));
		int portB = FreePort.find();
		this.receiver.trust(issuer, "http://127.0.0.1:" + portB); // same keys: they live in the database
		Process b = start("b", portB, issuer, Map.of());
		await().atMost(Duration.ofSeconds(30)).until(() -> this.receiver.requestsStarted().contains(PATH));
		b.destroyForcibly().waitFor();
		assertThat(row(jti)).containsEntry("status", "pending").containsEntry("attempts", 1);
		assertThat(row(jti).get("lease_owner")).isNotNull();
		assertThat(this.receiver.effects()).containsExactly(jti);

		// C takes it over once B's lease has run out, and delivers it again: same jti, same token
		int portC = FreePort.find();
		this.receiver.trust(issuer, "http://127.0.0.1:" + portC);
		start("c", portC, issuer, Map.of());
		await().atMost(Duration.ofSeconds(60)).until(() -> "delivered".equals(row(jti).get("status")));
		List<TestReceiver.Arrival> arrivals = this.receiver.arrivals("rp-one", "events");
		assertThat(arrivals).hasSize(2).allSatisfy(arrival -> {
			assertThat(arrival.error()).isNull(); // verified against the JWKS: signature, typ, iss, aud
			assertThat(arrival.jti()).isEqualTo(jti);
		});
		assertThat(arrivals.get(1).token()).isEqualTo(arrivals.get(0).token());
		assertThat(this.receiver.effects()).containsExactly(jti); // exactly one effect
		assertThat(row(jti)).containsEntry("attempts", 2);
	}

	/** Starts the real application in its own JVM, with this module's test classpath, and waits until ready. */
	private Process start(String name, int port, String issuer, Map<String, String> extra) throws Exception {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("spring.profiles.active", "dev,test");
		properties.put("server.port", String.valueOf(port));
		properties.put("tongxing.issuer", issuer);
		this.postgres.properties().forEach((k, v) -> properties.put(k, v.toString()));
		properties.put("tongxing.clients[0].client-id", "rp-one");
		properties.put("tongxing.clients[0].client-secret", "rp-one-secret");
		properties.put("tongxing.clients[0].redirect-uris[0]", "http://127.0.0.1:3000/rp-one");
		properties.put("tongxing.clients[0].scopes", "openid,profile");
		properties.put("tongxing.clients[0].events-endpoint", this.receiver.url() + PATH);
		properties.put("tongxing.events.poll-interval", "200ms");
		properties.put("tongxing.events.connect-timeout", "1s");
		properties.put("tongxing.events.request-timeout", "3s");
		properties.put("tongxing.events.lease", "5s");
		properties.putAll(extra);
		List<String> command = new ArrayList<>(List.of(java(), "-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp",
				System.getProperty("java.class.path"), TongxingApplication.class.getName()));
		properties.forEach((k, v) -> command.add("--" + k + "=" + v));
		File log = new File("target/hard-kill-node-" + name + ".log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.to(log))
			.start();
		this.processes.add(process);
		long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new AssertionError("node " + name + " exited with " + process.exitValue() + "; see " + log);
			}
			try {
				HttpResponse<String> health = this.http.send(
						HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness")).build(),
						HttpResponse.BodyHandlers.ofString());
				if (health.statusCode() == 200) {
					return process;
				}
			}
			catch (java.io.IOException notYet) {
				// still starting
			}
			Thread.sleep(300);
		}
		throw new AssertionError("node " + name + " did not become ready; see " + log);
	}

	private String queueVerification(String node) throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest
			.newBuilder(URI.create(node + "/admin/api/events/verification?client=rp-one&state=kill-test"))
			.header("Authorization", "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8)))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		return (String) com.nimbusds.jose.util.JSONObjectUtils.parse(response.body()).get("jti");
	}

	private Map<String, Object> row(String jti) throws Exception {
		try (Connection c = this.postgres.connect();
				var statement = c.prepareStatement("SELECT status, attempts, lease_owner FROM events_outbox WHERE id = ?")) {
			statement.setString(1, jti);
			try (ResultSet rs = statement.executeQuery()) {
				assertThat(rs.next()).as("outbox row " + jti).isTrue();
				Map<String, Object> row = new LinkedHashMap<>();
				row.put("status", rs.getString(1));
				row.put("attempts", rs.getInt(2));
				row.put("lease_owner", rs.getString(3));
				return row;
			}
		}
	}

	private static String java() {
		return ProcessHandle.current().info().command()
			.orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
	}

}
