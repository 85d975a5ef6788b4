package dev.tongxing.server.connector.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.connector.oidc.TestOidcProvider.Mode;
import dev.tongxing.server.login.RedirectConnectorContract;
import dev.tongxing.server.testing.TestBrowser;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An OpenID Connect upstream passes the contract every redirect connector passes, against a provider in the test
 * that signs real ID tokens, refuses codes ({@code invalid_grant}) or is busy (HTTP 503 at its token endpoint).
 */
class OidcRedirectContractTest extends RedirectConnectorContract {

	static final String UPSTREAM_ID = "acme";

	static final TestOidcProvider provider = new TestOidcProvider("tongxing", "tongxing-secret");

	@Autowired
	CircuitBreakerRegistry breakers;

	@DynamicPropertySource
	static void upstream(DynamicPropertyRegistry registry) {
		registry.add("tongxing.oidc-upstreams[0].id", () -> UPSTREAM_ID);
		registry.add("tongxing.oidc-upstreams[0].display-name", () -> "Acme SSO");
		registry.add("tongxing.oidc-upstreams[0].issuer", provider::issuer);
		registry.add("tongxing.oidc-upstreams[0].client-id", () -> "tongxing");
		registry.add("tongxing.oidc-upstreams[0].client-secret", () -> "tongxing-secret");
	}

	@AfterAll
	static void stopProvider() {
		provider.close();
	}

	@Override
	protected String loginPath() {
		return "/login/oidc/" + UPSTREAM_ID;
	}

	@Override
	protected String method() {
		return "oidc:" + UPSTREAM_ID;
	}

	@Override
	protected List<String> people() {
		return List.of("alice", "bob");
	}

	/** The person signs in at the provider and agrees: it sends the browser back to our callback with a code. */
	@Override
	protected URI upstreamAnswers(TestBrowser browser, URI authorization, String person) {
		URI answer = provider.answer(authorization, person);
		assertThat(answer.toString()).startsWith(this.issuer + "/login/oidc/" + UPSTREAM_ID + "/callback?code=");
		return answer;
	}

	/** The provider says the code is invalid. */
	@Override
	protected void upstreamRefuses() {
		provider.mode(Mode.REFUSING);
	}

	/** The provider's token endpoint is busy (HTTP 503). */
	@Override
	protected void upstreamDown() {
		provider.mode(Mode.BUSY);
	}

	@Override
	protected void upstreamRestored() {
		provider.mode(Mode.WORKING);
		this.breakers.getAllCircuitBreakers().forEach(CircuitBreaker::reset);
	}

}
