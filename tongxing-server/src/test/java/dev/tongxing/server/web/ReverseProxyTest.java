package dev.tongxing.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Pkce;
import dev.tongxing.server.testing.TestBrowser;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway behind a reverse proxy, over real connections: 127.0.0.2 is the configured proxy, 127.0.0.1 a
 * client that talks to the gateway directly and tries the same headers.
 */
@TestPropertySource(properties = "tongxing.proxy.trusted-proxies=127.0.0.2, 10.0.0.0/8")
class ReverseProxyTest extends GatewayTest {

	static final String CALLBACK = "http://127.0.0.1:3000/callback";

	static final InetAddress PROXY = address("127.0.0.2");

	static final InetAddress DIRECT = address("127.0.0.1");

	@Autowired
	JdbcClient jdbc;

	@Test
	void theClientAddressComesFromTheTrustedProxysHeaderReadFromTheRight() {
		// the client put 198.51.100.9 in front; the proxy appended the address it saw
		TestBrowser viaProxy = new TestBrowser(this.issuer, PROXY).header("X-Forwarded-For", "198.51.100.9, 203.0.113.7");
		assertThat(networkOfLogin(viaProxy, "proxy-trusted")).isEqualTo("203.0.113.0/24");
	}

	@Test
	void aProxyInsideTheChainIsSkippedWhenTrusted() {
		TestBrowser viaTwoProxies = new TestBrowser(this.issuer, PROXY).header("X-Forwarded-For",
				"203.0.113.8, 10.1.2.3");
		assertThat(networkOfLogin(viaTwoProxies, "proxy-chain")).isEqualTo("203.0.113.0/24");
	}

	@Test
	void forwardedHeadersFromAnUntrustedPeerAreIgnored() {
		TestBrowser direct = new TestBrowser(this.issuer, DIRECT).header("X-Forwarded-For", "203.0.113.7")
			.header("Forwarded", "for=192.0.2.60");
		assertThat(networkOfLogin(direct, "proxy-untrusted")).isEqualTo("127.0.0.0/24");
	}

	@Test
	void theRfc7239ForwardedHeaderIsNeverRead() {
		TestBrowser viaProxy = new TestBrowser(this.issuer, PROXY).header("Forwarded", "for=192.0.2.60");
		assertThat(networkOfLogin(viaProxy, "proxy-forwarded")).isEqualTo("127.0.0.0/24");
	}

	@Test
	void theIssuerIsConfigurationWhateverTheProxySays() {
		for (InetAddress from : List.of(PROXY, DIRECT)) {
			TestBrowser browser = new TestBrowser(this.issuer, from).header("X-Forwarded-Host", "evil.example")
				.header("X-Forwarded-Proto", "https")
				.header("X-Forwarded-Port", "443")
				.header("Forwarded", "host=evil.example;proto=https");
			for (String path : List.of("/.well-known/openid-configuration", "/.well-known/oauth-authorization-server")) {
				HttpResponse<String> response = browser.get(path);
				assertThat(response.statusCode()).isEqualTo(200);
				JsonNode metadata = JsonMapper.builder().build().readTree(response.body());
				assertThat(metadata.get("issuer").asString()).isEqualTo(this.issuer);
				assertThat(metadata.get("token_endpoint").asString()).isEqualTo(this.issuer + "/oauth2/token");
				assertThat(response.body()).doesNotContain("evil.example");
			}
		}
	}

	@Test
	void aTrustedProxyMustBeAnAddressOrCidrBlock() {
		assertThat(TrustedProxies.cidrs(List.of("127.0.0.2", "10.0.0.0/8", "::1", "fd00::/8")))
			.isEqualTo("127.0.0.2/32,10.0.0.0/8,::1/128,fd00::/8");
		assertThatThrownBy(() -> TrustedProxies.cidrs(List.of("proxy.internal")))
			.hasMessageContaining("tongxing.proxy.trusted-proxies")
			.hasMessageContaining("proxy.internal");
		assertThatThrownBy(() -> TrustedProxies.cidrs(List.of("10.0.0.0/33"))).hasMessageContaining("prefix");
	}

	/** Signs {@code user} in through the dev login and returns the network the audit log recorded for it. */
	private String networkOfLogin(TestBrowser browser, String user) {
		long before = this.jdbc.sql("SELECT seq FROM audit_chain_head").query(Long.class).single();
		OAuthClient client = new OAuthClient(this.issuer);
		URI redirect = browser.authorize(
				client.authorizeUri(OAuthClient.authorizeParams("live-web", CALLBACK, "openid", Pkce.create())), user,
				CALLBACK);
		assertThat(TestBrowser.query(redirect)).containsKey("code");
		Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
		while (true) {
			List<String> details = this.jdbc
				.sql("SELECT details FROM audit_entry WHERE seq > ? AND type = 'login.succeeded' ORDER BY seq")
				.param(before)
				.query(String.class)
				.list();
			if (!details.isEmpty()) {
				JsonNode entry = JsonMapper.builder().build().readTree(details.getLast());
				return entry.get("network").asString();
			}
			assertThat(Instant.now()).as("audit entry of the login").isBefore(deadline);
			sleep();
		}
	}

	private static void sleep() {
		try {
			Thread.sleep(50);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static InetAddress address(String literal) {
		try {
			return InetAddress.getByAddress(InetAddress.getByName(literal).getAddress());
		}
		catch (java.net.UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
