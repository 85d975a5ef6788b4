package dev.tongxing.server.connector.oidc;

import com.nimbusds.oauth2.sdk.AuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.Nonce;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.connector.oidc.OidcUpstream.VerifiedLogin;
import dev.tongxing.server.connector.oidc.UpstreamLoginFailure.Reason;
import dev.tongxing.server.login.LoginFailureCause;
import dev.tongxing.server.login.spi.Connector;
import dev.tongxing.server.login.spi.ConnectorFailure;
import dev.tongxing.server.login.spi.ConnectorSource;
import dev.tongxing.server.login.spi.IdentityNamespaces;
import dev.tongxing.server.login.spi.Probe;
import dev.tongxing.server.login.spi.RedirectConnector;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * One connector per configured OpenID Connect provider, as the core sees it: a login-page button after
 * WeChat and phone, an account-page entry naming the provider, and a probe (its discovery document, fetched
 * afresh). A redirect connector: the login broker serves {@code /login/oidc/<id>}, which sends the browser to the
 * provider (authorization code with PKCE, a nonce and the broker's state), and {@code /login/oidc/<id>/callback},
 * whose answer this connector checks (RFC 9207 issuer, ID token, nonce) before it names the person. What the
 * provider said is logged, never shown: the login page says what happened in words ({@link UpstreamLabels}).
 */
@Component
class OidcUpstreamConnectors implements ConnectorSource {

	private static final int FIRST_ORDER = 300;

	/** What the callback needs of a pending login, besides its state. */
	static final String NONCE = "nonce";

	static final String CODE_VERIFIER = "code_verifier";

	private final OidcUpstreams upstreams;

	OidcUpstreamConnectors(OidcUpstreams upstreams) {
		this.upstreams = upstreams;
	}

	@Override
	public List<Connector> connectors() {
		List<Connector> connectors = new ArrayList<>();
		List<OidcUpstream> all = this.upstreams.all();
		for (int i = 0; i < all.size(); i++) {
			connectors.add(new UpstreamConnector(all.get(i), FIRST_ORDER + i));
		}
		return connectors;
	}

	private record UpstreamConnector(OidcUpstream upstream, int order) implements RedirectConnector {

		@Override
		public String id() {
			return this.upstream.method();
		}

		@Override
		public Labels labels() {
			String upstreamId = this.upstream.definition().id();
			return new Labels(UpstreamLabels.labelKey(upstreamId), "account.method.oidc", "/images/sign-in.svg",
					"/login/oidc/" + upstreamId, this.order);
		}

		@Override
		public IdentityNamespaces identities() {
			String upstreamId = this.upstream.definition().id();
			return new IdentityNamespaces(java.util.Set.of(this.upstream.method()), false, key -> upstreamId);
		}

		@Override
		public List<Probe> probes() {
			return List.of(new Probe("oidc:" + this.upstream.definition().id(), this.upstream.method(), () -> {
				try {
					this.upstream.probe();
				}
				catch (UpstreamLoginFailure failure) {
					throw new IllegalStateException(failure.upstreamError() + ": " + failure.getMessage());
				}
			}));
		}

		@Override
		public String displayName() {
			return this.upstream.definition().id();
		}

		@Override
		public Authorization authorize(Begin begin) {
			// fresh random values (Nimbus: 256 bits each) for a new login
			Nonce nonce = new Nonce();
			CodeVerifier verifier = new CodeVerifier();
			try {
				URI location = this.upstream.authorizationRequest(begin.callbackUri(), new State(begin.state()), nonce,
						verifier);
				return new Authorization(location, this.upstream.definition().id(),
						Map.of(NONCE, nonce.getValue(), CODE_VERIFIER, verifier.getValue()));
			}
			catch (UpstreamLoginFailure failure) {
				throw translate(failure);
			}
		}

		@Override
		public Answer callback(Callback callback) {
			try {
				AuthorizationResponse answer = parse(callback.request().getQueryString());
				this.upstream.checkResponseIssuer(answer.getIssuer());
				if (answer instanceof AuthorizationErrorResponse error) {
					throw refusal(error.getErrorObject());
				}
				VerifiedLogin verified = this.upstream.redeem(
						((AuthorizationSuccessResponse) answer).getAuthorizationCode(), callback.callbackUri(),
						new CodeVerifier(callback.attributes().get(CODE_VERIFIER)),
						new Nonce(callback.attributes().get(NONCE)));
				ExternalIdentity identity;
				try {
					identity = this.upstream.identify(verified);
				}
				catch (IllegalArgumentException ex) {
					throw new UpstreamLoginFailure(Reason.INVALID_ANSWER, ex.getMessage());
				}
				return Answer.identified(identity);
			}
			catch (UpstreamLoginFailure failure) {
				throw translate(failure);
			}
		}

		@Override
		public String loginError(ConnectorFailure failure) {
			return UpstreamLabels.errorCode(this.upstream.definition().id(), reason(failure.failureCause()));
		}

		private static AuthorizationResponse parse(String query) throws UpstreamLoginFailure {
			try {
				return AuthorizationResponse.parse(URI.create("https://callback.invalid/" + (query == null ? "" : "?" + query)));
			}
			catch (ParseException | IllegalArgumentException ex) {
				throw new UpstreamLoginFailure(Reason.EXPIRED, "unreadable authorization response: " + ex.getMessage(), ex);
			}
		}

		private static UpstreamLoginFailure refusal(ErrorObject error) {
			String detail = "authorization refused: " + LogText.of(error.getCode()) + " " + LogText.of(error.getDescription());
			boolean cancelled = OAuth2Error.ACCESS_DENIED.getCode().equals(error.getCode());
			return new UpstreamLoginFailure(cancelled ? Reason.CANCELLED : Reason.REFUSED, detail);
		}

		private ConnectorFailure translate(UpstreamLoginFailure failure) {
			return new ConnectorFailure(cause(failure.reason()), failure.upstreamError(),
					"OIDC upstream '" + this.upstream.definition().id() + "': " + failure.getMessage(), failure);
		}

		private static LoginFailureCause cause(Reason reason) {
			return switch (reason) {
				case CANCELLED -> LoginFailureCause.USER_CANCELLED;
				case EXPIRED -> LoginFailureCause.STATE_INVALID;
				case REFUSED -> LoginFailureCause.APP_NOT_AUTHORISED;
				case UNREACHABLE -> LoginFailureCause.UPSTREAM_UNAVAILABLE;
				case INVALID_ANSWER -> LoginFailureCause.OUR_CONFIGURATION; // or an attack: logged as a warning
			};
		}

		/** The reverse of {@link #cause}: the broker's own failures (a state it does not know) included. */
		private static Reason reason(LoginFailureCause cause) {
			return switch (cause) {
				case USER_CANCELLED -> Reason.CANCELLED;
				case STATE_INVALID -> Reason.EXPIRED;
				case APP_NOT_AUTHORISED -> Reason.REFUSED;
				case UPSTREAM_UNAVAILABLE -> Reason.UNREACHABLE;
				default -> Reason.INVALID_ANSWER;
			};
		}

	}

}
