package dev.tongxing.server.connector.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.login.Connectors;
import dev.tongxing.server.login.RedirectConnectorContract;
import dev.tongxing.server.testing.TestBrowser;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** The example browser connector, added as the README says, passes the contract every redirect connector passes. */
@TestPropertySource(properties = "tongxing.example.enabled=true")
class ExampleWebConnectorContractTest extends RedirectConnectorContract {

	@Autowired
	ExampleWebConnector connector;

	@Autowired
	Connectors connectors;

	@Override
	protected String loginPath() {
		return "/login/" + ExampleWebConnector.METHOD;
	}

	@Override
	protected String method() {
		return ExampleWebConnector.METHOD;
	}

	@Override
	protected List<String> people() {
		return List.of("ada", "grace");
	}

	/** The upstream's page, played here: it sends the browser back with a code for the person, and the state. */
	@Override
	protected URI upstreamAnswers(TestBrowser browser, URI authorization, String person) {
		assertThat(authorization.toString()).startsWith(ExampleWebConnector.AUTHORIZE);
		Map<String, String> query = TestBrowser.query(authorization);
		return URI.create(query.get("redirect_uri") + "?code=" + this.connector.upstream().issueCode(person) + "&state="
				+ query.get("state"));
	}

	@Override
	protected void upstreamRefuses() {
		this.connector.upstream().mood(ExampleUpstream.Mood.REFUSING);
	}

	@Override
	protected void upstreamDown() {
		this.connector.upstream().mood(ExampleUpstream.Mood.DOWN);
	}

	@Override
	protected void upstreamRestored() {
		this.connector.upstream().mood(ExampleUpstream.Mood.WORKING);
	}

	@Test
	void theCoreKnowsItByItsDeclarationsAloneAndServesItsPages() {
		assertThat(this.connectors.find(ExampleWebConnector.METHOD)).containsSame(this.connector);
		assertThat(this.connectors.loginMethods()).anyMatch(m -> m.id().equals(ExampleWebConnector.METHOD)
				&& m.href().equals("/login/example-web"));
		assertThat(this.connector.path()).isEqualTo("example-web");
		// a path no connector serves is not found
		assertThat(browser().get("/login/no-such-connector").statusCode()).isEqualTo(404);
		assertThat(browser().get("/login/no-such-connector/callback?state=x&code=y").statusCode()).isEqualTo(404);
	}

}
