package dev.tongxing.server.connector.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.login.Connectors;
import dev.tongxing.server.login.NativeConnectorContract;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** The example connector, added as the README says, passes the contract every native connector passes. */
@TestPropertySource(properties = "tongxing.example.enabled=true")
class ExampleConnectorContractTest extends NativeConnectorContract {

	@Autowired
	ExampleConnector connector;

	@Autowired
	Connectors connectors;

	@Override
	protected String subjectTokenType() {
		return ExampleConnector.SUBJECT_TOKEN_TYPE;
	}

	@Override
	protected Map<String, String> parameters() {
		return Map.of();
	}

	@Override
	protected String method() {
		return ExampleConnector.METHOD;
	}

	@Override
	protected List<String> people() {
		return List.of("ada", "grace");
	}

	@Override
	protected String freshCode(String person) {
		return this.connector.upstream().issueCode(person);
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
	void theCoreKnowsItByItsDeclarationsAlone() {
		assertThat(this.connectors.nativeFor(ExampleConnector.SUBJECT_TOKEN_TYPE)).containsSame(this.connector);
		assertThat(this.connectors.methodOf("example")).hasValueSatisfying(m -> assertThat(m.id()).isEqualTo("example"));
		assertThat(this.connectors.loginMethods()).noneMatch(m -> m.id().equals("example"));
	}

}
