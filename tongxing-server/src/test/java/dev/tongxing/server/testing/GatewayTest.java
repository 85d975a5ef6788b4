package dev.tongxing.server.testing;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the tests that run the whole gateway on a real port (dev + test profiles, in-memory H2). The
 * port is chosen before start so the issuer can name it. All subclasses share one Spring context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ActiveProfiles({ "dev", "test" })
@Import(GatewayTestBeans.class)
public abstract class GatewayTest {

	@Value("${tongxing.issuer}")
	protected String issuer;

	/**
	 * A free port, unless the test names its own in {@value #PORT_PROPERTY} (one whose peers must know the port
	 * before the gateway starts, such as an upstream holding this gateway's exact redirect URI).
	 */
	@DynamicPropertySource
	static void gatewayPort(DynamicPropertyRegistry registry) {
		String port = "${" + PORT_PROPERTY + ":" + FreePort.find() + "}";
		registry.add("server.port", () -> port);
		registry.add("tongxing.issuer", () -> "http://${" + HOST_PROPERTY + ":127.0.0.1}:" + port);
	}

	/**
	 * The property a test sets to serve the gateway under another host name than {@code 127.0.0.1}: {@code localhost}
	 * for passkeys, which browsers refuse for an IP address.
	 */
	protected static final String HOST_PROPERTY = "test.gateway-host";

	/** The property a test sets to choose the gateway's port itself. */
	protected static final String PORT_PROPERTY = "test.gateway-port";

	protected TestBrowser browser() {
		return new TestBrowser(this.issuer);
	}

}
