package dev.tongxing.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jwt.SignedJWT;
import dev.tongxing.server.TongxingApplication;
import dev.tongxing.server.testing.FreePort;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Pkce;
import dev.tongxing.server.testing.Postgres;
import dev.tongxing.server.testing.TestBrowser;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * No event is lost when gateway processes are killed (SIGKILL, no shutdown hooks) at any point: each node
 * is a separate JVM running the real application on one PostgreSQL schema. Node A queues an event (a person
 * withdraws an app's access) and dies before its first attempt; node B picks it up and dies while the receiver holds the request open (the
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

		// A queues an event — a person withdraws an app's access: CAEP session-revoked, committed with the
		// withdrawal — and is killed before its worker ever runs
		Process a = start("a", portA, issuer, Map.of("tongxing.events.poll-interval", "1h"));
		this.receiver.trust(issuer);
		String user = signInAndWithdraw(issuer);
		String jti = queued(user);
		a.destroyForcibly().waitFor();
		assertThat(row(jti)).containsEntry("status", "pending").containsEntry("attempts", 0);
		assertThat(this.receiver.requestsStarted()).isEmpty();

		// B delivers it; the receiver acts on it but holds the answer, and B is killed mid-delivery
		this.receiver.script("rp-one", "events", TestReceiver.Script.hold(Duration.ofSeconds(60)));
		int portB = FreePort.find();
		this.receiver.trust(issuer, "http://127.0.0.1:" + portB); // same keys: they live in the database
		Process b = start("b", portB, issuer, Map.of());
		// the receiver has verified the token and acted on it, and holds the answer back
		await().atMost(Duration.ofSeconds(30)).until(() -> this.receiver.effects().contains(jti));
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
			assertThat(arrival.events()).containsOnlyKeys(EventTypes.SESSION_REVOKED);
			assertThat(arrival.claims().getClaim("sub_id")).isEqualTo(Map.of("format", "iss_sub", "iss", issuer, "sub", user));
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
		properties.put("tongxing.clients[0].first-party", "true");
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

	/** A new person signs in to rp-one through a browser, then withdraws its access. @return their user id */
	private String signInAndWithdraw(String node) throws Exception {
		TestBrowser browser = new TestBrowser(node);
		OAuthClient oauth = new OAuthClient(node);
		Pkce pkce = Pkce.create();
		String redirect = "http://127.0.0.1:3000/rp-one";
		URI back = browser.authorize(oauth.authorizeUri(OAuthClient.authorizeParams("rp-one", redirect, "openid", pkce)),
				"kill" + System.nanoTime(), redirect);
		OAuthClient.Reply tokens = oauth.post("/oauth2/token", "rp-one", "rp-one-secret", Map.of("grant_type",
				"authorization_code", "code", TestBrowser.query(back).get("code"), "redirect_uri", redirect, "code_verifier",
				pkce.verifier()));
		assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
		String user = SignedJWT.parse(tokens.string("id_token")).getJWTClaimsSet().getSubject();
		HttpResponse<String> consents = browser.get("/account/consents");
		browser.submit(consents, "/account/consents/withdraw", Map.of("client", "rp-one"));
		return user;
	}

	private String queued(String user) throws Exception {
		try (Connection c = this.postgres.connect();
				var statement = c.prepareStatement("SELECT id FROM events_outbox WHERE user_id = ? AND event_type = ?")) {
			statement.setString(1, user);
			statement.setString(2, EventTypes.SESSION_REVOKED);
			try (ResultSet rs = statement.executeQuery()) {
				assertThat(rs.next()).as("the withdrawal queued session-revoked").isTrue();
				String jti = rs.getString(1);
				assertThat(rs.next()).isFalse();
				return jti;
			}
		}
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
