package dev.tongxing.server.lockout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.MutableClock;
import dev.tongxing.server.testing.OAuthClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Wrong passwords are throttled for operators (HTTP Basic at /admin/**) and client secrets alike: after
 * max-failures the right password is refused too, until the lockout (doubling each time) has passed; each lockout
 * is an audit entry and a metric, and the state is in the database for every node.
 */
class LockoutTest extends GatewayTest {

	@DynamicPropertySource
	static void limits(DynamicPropertyRegistry registry) {
		registry.add("tongxing.lockout.max-failures", () -> 3);
		registry.add("tongxing.lockout.lockout", () -> "1m");
		registry.add("tongxing.lockout.max-lockout", () -> "4m");
	}

	@Autowired
	MutableClock clock;

	@Autowired
	JdbcClient jdbc;

	final HttpClient http = HttpClient.newHttpClient();

	@BeforeEach
	@AfterEach
	void clean() {
		this.jdbc.sql("DELETE FROM lockout_failure").update();
		this.clock.reset();
	}

	int operator(String password) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(this.issuer + "/admin/api/keys"))
			.header("Authorization", "Basic " + Base64.getEncoder()
				.encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8)))
			.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
	}

	long audited(String kind) {
		return this.jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE type = 'password.locked-out' AND details LIKE :k")
			.param("k", "%\"kind\":\"" + kind + "\"%")
			.query(Long.class)
			.single();
	}

	@Test
	void operatorPasswordsAreThrottled() throws Exception {
		assertThat(operator("admin")).isEqualTo(200);
		long before = audited("operator");
		for (int i = 0; i < 3; i++) {
			assertThat(operator("wrong-" + i)).isEqualTo(401);
		}
		// locked out: even the right password is refused, without being checked
		assertThat(operator("admin")).isEqualTo(401);
		assertThat(audited("operator")).isGreaterThan(before);
		this.clock.advance(Duration.ofSeconds(61));
		assertThat(operator("admin")).isEqualTo(200);

		// the next lockout in a row lasts twice as long
		for (int i = 0; i < 3; i++) {
			assertThat(operator("wrong-" + i)).isEqualTo(401);
		}
		this.clock.advance(Duration.ofSeconds(61));
		assertThat(operator("admin")).as("still locked after one minute").isEqualTo(401);
		this.clock.advance(Duration.ofSeconds(60));
		assertThat(operator("admin")).isEqualTo(200);

		String metrics = this.http.send(HttpRequest.newBuilder(URI.create(this.issuer + "/actuator/prometheus")).build(),
				HttpResponse.BodyHandlers.ofString()).body();
		assertThat(metrics).contains("tongxing_password_lockouts_total{by=\"name\",kind=\"operator\"")
			.contains("tongxing_password_failures_total{kind=\"operator\"")
			.contains("tongxing_password_refused_locked_total{kind=\"operator\"");
	}

	@Test
	void clientSecretsAreThrottled() {
		OAuthClient oauth = new OAuthClient(this.issuer);
		Map<String, String> grant = Map.of("grant_type", "client_credentials");
		assertThat(oauth.post("/oauth2/token", "backend", "backend-secret", grant).status()).isEqualTo(200);
		long before = audited("client");
		for (int i = 0; i < 3; i++) {
			assertThat(oauth.post("/oauth2/token", "backend", "wrong", grant).error()).isEqualTo("invalid_client");
		}
		OAuthClient.Reply locked = oauth.post("/oauth2/token", "backend", "backend-secret", grant);
		assertThat(locked.status()).isEqualTo(401);
		assertThat(locked.error()).isEqualTo("invalid_client");
		// the address is locked out too, for every client secret
		assertThat(oauth.post("/oauth2/introspect", "live-web", "s3cret", Map.of("token", "x")).status()).isEqualTo(401);
		assertThat(audited("client")).isGreaterThanOrEqualTo(before + 2); // by name and by address
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE type = 'password.locked-out' AND client_id = 'backend'")
			.query(Long.class)
			.single()).isPositive();
		// nothing in clear: only keyed hashes
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM lockout_failure WHERE key_hash LIKE '%backend%' OR key_hash LIKE '%127.0.0.1%'")
			.query(Long.class)
			.single()).isZero();
		this.clock.advance(Duration.ofSeconds(61));
		assertThat(oauth.post("/oauth2/token", "backend", "backend-secret", grant).status()).isEqualTo(200);
	}

}
