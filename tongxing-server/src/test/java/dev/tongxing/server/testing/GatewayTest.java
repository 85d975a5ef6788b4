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

	@DynamicPropertySource
	static void gatewayPort(DynamicPropertyRegistry registry) {
		int port = FreePort.find();
		registry.add("server.port", () -> port);
		registry.add("tongxing.issuer", () -> "http://127.0.0.1:" + port);
	}

	protected TestBrowser browser() {
		return new TestBrowser(this.issuer);
	}

}
