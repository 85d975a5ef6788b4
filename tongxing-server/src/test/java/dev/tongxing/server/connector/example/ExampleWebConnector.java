package dev.tongxing.server.connector.example;

import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.login.LoginFailureCause;
import dev.tongxing.server.login.spi.ConnectorFailure;
import dev.tongxing.server.login.spi.IdentityNamespaces;
import dev.tongxing.server.login.spi.RedirectConnector;
import dev.tongxing.server.login.spi.UpstreamError;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * A browser connector added the way the README says, touching nothing outside this package and its configuration
 * ({@code tongxing.example.enabled=true}): the login broker serves {@code /login/example-web} and its callback; this
 * class only translates, to {@link ExampleUpstream}'s authorization page and from the code it answers with.
 */
@Component
@ConditionalOnProperty("tongxing.example.enabled")
class ExampleWebConnector implements RedirectConnector {

	static final String METHOD = "example-web";

	/** Where the upstream's authorization page would be: the test plays the upstream's part. */
	static final String AUTHORIZE = "https://upstream.example/authorize";

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
		return new Labels("login.method.example-web", "account.method.example", null, "/login/" + METHOD, 1000);
	}

	@Override
	public IdentityNamespaces identities() {
		return IdentityNamespaces.of(METHOD);
	}

	@Override
	public String displayName() {
		return "Example";
	}

	@Override
	public Authorization authorize(Begin begin) {
		if (this.upstream.down()) {
			throw new ConnectorFailure(LoginFailureCause.UPSTREAM_UNAVAILABLE, new UpstreamError("/authorize", "timeout"),
					"example upstream is down", null);
		}
		return new Authorization(URI.create(AUTHORIZE + "?state=" + begin.state() + "&redirect_uri="
				+ URLEncoder.encode(begin.callbackUri().toString(), StandardCharsets.UTF_8)), null, Map.of());
	}

	@Override
	public Answer callback(Callback callback) {
		String error = callback.request().getParameter("error");
		if (error != null) {
			throw new ConnectorFailure("access_denied".equals(error) ? LoginFailureCause.USER_CANCELLED
					: LoginFailureCause.APP_NOT_AUTHORISED, new UpstreamError("/authorize", error), "upstream said " + error,
					null);
		}
		try {
			String person = this.upstream.redeem(callback.request().getParameter("code"));
			return Answer.identified(new ExternalIdentity(METHOD, List.of(new IdentityKey(METHOD, person)),
					new ExternalIdentity.Profile(person, null, null)));
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
