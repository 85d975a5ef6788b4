package dev.tongxing.server.connector.example;

import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.login.LoginFailureCause;
import dev.tongxing.server.login.LoginMethod;
import dev.tongxing.server.login.spi.ConnectorFailure;
import dev.tongxing.server.login.spi.FailureAdvice;
import dev.tongxing.server.login.spi.IdentityNamespaces;
import dev.tongxing.server.login.spi.NativeConnector;
import dev.tongxing.server.login.spi.UpstreamError;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * A connector added the way the README says, touching nothing outside this package and its configuration
 * ({@code tongxing.example.enabled=true}): a native login whose app hands over a code from
 * {@link ExampleUpstream}. It proves that the core takes a new connector without knowing it.
 */
@Component
@ConditionalOnProperty("tongxing.example.enabled")
class ExampleConnector implements NativeConnector {

	static final String METHOD = "example";

	static final String SUBJECT_TOKEN_TYPE = "urn:example:token-type:code";

	private final ExampleUpstream upstream = new ExampleUpstream();

	ExampleUpstream upstream() {
		return this.upstream;
	}

	@Override
	public String id() {
		return METHOD;
	}

	@Override
	public Labels labels() {
		return new Labels("login.method.example", "account.method.example", null, null, 1000);
	}

	/** Native only: nothing on the login page. */
	@Override
	public List<LoginMethod> loginMethods() {
		return List.of();
	}

	@Override
	public IdentityNamespaces identities() {
		return IdentityNamespaces.of(METHOD);
	}

	@Override
	public FailureAdvice failureAdvice() {
		return new FailureAdvice(Map.of("refused",
				new FailureAdvice.Advice(LoginFailureCause.CODE_EXPIRED_OR_REUSED, "ops.upstream.malformed")));
	}

	@Override
	public String subjectTokenType() {
		return SUBJECT_TOKEN_TYPE;
	}

	@Override
	public String displayName() {
		return "Example";
	}

	@Override
	public List<String> dataCategories() {
		return List.of("login-identifiers");
	}

	@Override
	public String app(Map<String, String> parameters) {
		return null;
	}

	@Override
	public ExternalIdentity identify(String code, Map<String, String> parameters) {
		try {
			String person = this.upstream.redeem(code);
			return new ExternalIdentity(METHOD, List.of(new IdentityKey(METHOD, person)),
					new ExternalIdentity.Profile(person, null, null));
		}
		catch (ExampleUpstream.Refused ex) {
			throw new ConnectorFailure(LoginFailureCause.CODE_EXPIRED_OR_REUSED, new UpstreamError("/redeem", "refused"),
					ex.getMessage(), ex);
		}
		catch (ExampleUpstream.Unavailable ex) {
			throw new ConnectorFailure(LoginFailureCause.UPSTREAM_UNAVAILABLE, new UpstreamError("/redeem", "timeout"),
					ex.getMessage(), ex);
		}
	}

}
