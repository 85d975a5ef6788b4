package dev.tongxing.example.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The example against a real gateway: both run as they would in production, each in a JVM of its own with its own
 * configuration, on ports chosen here. The gateway runs its {@code dev} profile (the "test user" login method, an
 * in-memory database) with the example registered as a client in {@code tongxing.clients[]} by the example's
 * {@code tongxing-client.yml}, as the README tells an operator to; the example runs its own {@code application.yml},
 * given only the gateway's issuer and its client credentials. A person's browser signs in (the gateway's login page, the test user, the privacy policy's
 * dialog) until the example shows the {@code sub}, then signs out at both.
 */
class SignInWithTongxingTest {

	static final String CLIENT_ID = "example-web";

	static final String CLIENT_SECRET = "example-secret-for-the-test";

	static String gatewayUrl;

	static String exampleUrl;

	static JavaProcess gateway;

	static JavaProcess example;

	@BeforeAll
	static void start() throws IOException {
		int gatewayPort = freePort();
		int examplePort = freePort();
		while (examplePort == gatewayPort) {
			examplePort = freePort();
		}
		gatewayUrl = "http://127.0.0.1:" + gatewayPort;
		exampleUrl = "http://127.0.0.1:" + examplePort;

		gateway = JavaProcess.start("gateway", gatewayClasspath(), "dev.tongxing.server.TongxingApplication", List.of(
				"--spring.profiles.active=dev", "--server.port=" + gatewayPort, "--tongxing.issuer=" + gatewayUrl,
				"--spring.datasource.url=jdbc:h2:mem:example-test;DB_CLOSE_DELAY=-1",
				"--tongxing.dev.wechat-emulator.port=0",
				// the example, registered with the file README's "Integrating" section gives an operator
				"--spring.config.additional-location=file:" + Path.of("tongxing-client.yml").toAbsolutePath(),
				"--EXAMPLE_URL=" + exampleUrl, "--EXAMPLE_CLIENT_SECRET=" + CLIENT_SECRET));
		try {
			gateway.awaitReady(gatewayUrl + "/.well-known/openid-configuration", Duration.ofMinutes(3));
			example = JavaProcess.start("example", exampleClasspath(), "dev.tongxing.example.web.ExampleApplication",
					List.of("--server.port=" + examplePort,
							"--spring.security.oauth2.client.provider.tongxing.issuer-uri=" + gatewayUrl,
							"--spring.security.oauth2.client.registration.tongxing.client-id=" + CLIENT_ID,
							"--spring.security.oauth2.client.registration.tongxing.client-secret=" + CLIENT_SECRET));
			example.awaitReady(exampleUrl + "/", Duration.ofMinutes(1));
		}
		catch (AssertionError | RuntimeException failed) {
			stop();
			throw failed;
		}
	}

	@AfterAll
	static void stop() {
		if (example != null) {
			example.close();
		}
		if (gateway != null) {
			gateway.close();
		}
	}

	@Test
	void signsInWithTongxingShowsTheSubAndSignsOutAtBoth() {
		Browser browser = new Browser();
		HttpResponse<String> home = browser.open(exampleUrl + "/");
		assertThat(home.body()).contains("data-testid=\"signed-out\"");

		String sub = signIn(browser, "alice");
		HttpResponse<String> signedIn = browser.open(exampleUrl + "/");
		assertThat(text(signedIn, "name")).isEqualTo("alice");
		assertThat(signedIn.body()).contains("(from <span>" + gatewayUrl + "</span>)");

		// the example sent PKCE (the gateway refuses a request without it) and found the endpoints by discovery
		URI authorize = browser.visited()
			.stream()
			.filter(u -> u.toString().startsWith(gatewayUrl + "/oauth2/authorize?"))
			.findFirst()
			.orElseThrow();
		assertThat(authorize.getRawQuery()).contains("code_challenge_method=S256")
			.contains("code_challenge=")
			.contains("client_id=" + CLIENT_ID)
			.contains("scope=openid%20profile");

		// sign out: here, then at the gateway (RP-initiated logout with the ID token), and back to the example
		browser.visited().clear();
		HttpResponse<String> signedOut = browser.submit(signedIn, "/logout", Map.of());
		assertThat(signedOut.uri()).isEqualTo(URI.create(exampleUrl + "/"));
		assertThat(signedOut.body()).contains("data-testid=\"signed-out\"");
		assertThat(browser.visited()).anySatisfy(u -> assertThat(u.toString())
			.startsWith(gatewayUrl + "/connect/logout?")
			.contains("id_token_hint=")
			.contains("post_logout_redirect_uri="));

		// the gateway's session ended too: signing in again asks who you are, and the same person has the same sub
		assertThat(signIn(browser, "alice")).isEqualTo(sub);
		assertThat(signIn(new Browser(), "bob")).isNotEqualTo(sub);
	}

	/** Signs in through the gateway's login page as a test user; returns the sub the example then shows. */
	static String signIn(Browser browser, String testUser) {
		HttpResponse<String> page = browser.open(exampleUrl + "/oauth2/authorization/tongxing");
		assertThat(page.uri().toString()).as("the gateway's login page").startsWith(gatewayUrl + "/login");
		page = browser.submit(browser.open(gatewayUrl + "/login/dev"), "/login/dev", Map.of("username", testUser));
		if (page.uri().getPath().equals("/privacy/consent")) {
			// a new person reads the privacy policy first, and agrees to it by ticking its box
			page = browser.submit(page, "/privacy/consent", Map.of("decision", "accept", "item", "policy"));
		}
		assertThat(page.uri()).as(page.body()).isEqualTo(URI.create(exampleUrl + "/"));
		assertThat(text(page, "name")).isEqualTo(testUser);
		String sub = text(page, "sub");
		assertThat(sub).isNotBlank();
		return sub;
	}

	static String text(HttpResponse<String> page, String testId) {
		Matcher m = Pattern.compile("data-testid=\"" + testId + "\">([^<]*)<").matcher(page.body());
		assertThat(m.find()).as("%s on %s:%n%s", testId, page.uri(), page.body()).isTrue();
		return m.group(1);
	}

	/** This test's classpath without the example itself: the gateway's classes and their dependencies. */
	static List<String> gatewayClasspath() {
		String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		Path exampleClasses = Path.of(System.getProperty("example.classes", "target/classes")).toAbsolutePath();
		Path testClasses = exampleClasses.resolveSibling("test-classes");
		List<String> entries = new ArrayList<>();
		for (String entry : classpath.split(File.pathSeparator)) {
			Path path = Path.of(entry).toAbsolutePath();
			if (!path.equals(exampleClasses) && !path.equals(testClasses)) {
				entries.add(entry);
			}
		}
		return entries;
	}

	/** The example's own runtime classpath (written by the build, see pom.xml), nothing of the gateway's. */
	static List<String> exampleClasspath() throws IOException {
		List<String> entries = new ArrayList<>();
		entries.add(System.getProperty("example.classes", "target/classes"));
		String file = Files.readString(Path.of(System.getProperty("example.classpath-file", "target/example-runtime.classpath")))
			.trim();
		entries.addAll(Arrays.asList(file.split(File.pathSeparator)));
		assertThat(entries).noneMatch(e -> e.contains("tongxing-server"));
		return entries;
	}

	/**
	 * A port below the kernel's ephemeral range, where outgoing connections never take it between this choice and the
	 * app's bind (the gateway's tests' FreePort does the same).
	 */
	static int freePort() {
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
			try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
				return port;
			}
			catch (IOException inUse) {
				// another
			}
		}
		throw new IllegalStateException("no free port below " + below);
	}

}
