package dev.tongxing.server.connector.oidc;

import dev.tongxing.server.login.spi.UpstreamError;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.connector.UpstreamLogin;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.claims.UserInfo;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.tongxing.server.connector.oidc.UpstreamHttp.UpstreamCall;
import dev.tongxing.server.connector.oidc.UpstreamLoginFailure.Reason;
import dev.tongxing.server.resilience.Repeat;
import dev.tongxing.server.resilience.UpstreamCallFailure;
import dev.tongxing.server.resilience.UpstreamErrors;
import dev.tongxing.server.resilience.UpstreamGuard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configured OpenID Connect provider at run time: its discovered metadata and keys (fetched at first
 * use, kept for an hour, dropped as soon as a call fails so the next login discovers afresh) and the three
 * protocol steps of a login: the authorization request, the code exchange with ID-token check, userinfo.
 */
final class OidcUpstream implements UpstreamLogin<OidcUpstream.VerifiedLogin> {

	private static final Logger log = LoggerFactory.getLogger(OidcUpstream.class);

	private static final Duration METADATA_MAX_AGE = Duration.ofHours(1);

	private final OidcUpstreamDefinition definition;

	private final UpstreamHttp http;

	private final UpstreamGuard guard;

	private final Clock clock;

	private final ReentrantLock discovering = new ReentrantLock();

	private volatile Discovered discovered;

	/** What discovery found, and the ID-token verifier built on it (which caches the provider's keys). */
	private record Discovered(OIDCProviderMetadata metadata, IdTokenVerifier idTokens, Instant at) {
	}

	/** A login the provider vouched for: the checked ID token's claims and, when asked for, userinfo. */
	record VerifiedLogin(IDTokenClaimsSet idToken, UserInfo userInfo) {
	}

	OidcUpstream(OidcUpstreamDefinition definition, UpstreamHttp http, UpstreamGuard guard, Clock clock) {
		this.definition = definition;
		this.http = http;
		this.guard = guard;
		this.clock = clock;
	}

	/** The provider's own trouble: unreachable, or an HTTP 5xx (a 4xx answer is a refusal, not an outage). */
	static final UpstreamErrors ERRORS = new UpstreamErrors() {
		@Override
		public boolean upstreamFault(Throwable failure) {
			return failure instanceof UncheckedIOException || failure instanceof ServerError;
		}

		@Override
		public boolean retryable(Throwable failure) {
			return failure instanceof ServerError || (failure instanceof UncheckedIOException io
					&& !(io.getCause() instanceof java.net.SocketTimeoutException
							|| io.getCause() instanceof java.net.http.HttpTimeoutException));
		}

		@Override
		public String outcome(Throwable failure) {
			return failure instanceof UncheckedIOException ? "network"
					: failure instanceof ServerError ? "http_status" : "error";
		}
	};

	OidcUpstreamDefinition definition() {
		return this.definition;
	}

	@Override
	public String method() {
		return this.definition.method();
	}

	/** @throws IllegalArgumentException when the verified login has no usable subject */
	@Override
	public ExternalIdentity identify(VerifiedLogin login) {
		return OidcIdentityMapper
			.map(this.definition, login.idToken().toJSONObject(),
					login.userInfo() == null ? java.util.Map.of() : login.userInfo().toJSONObject())
			.orElseThrow(() -> new IllegalArgumentException("sub missing or too long"));
	}

	/** Where to send the browser: a code request with PKCE (S256), state and nonce. */
	URI authorizationRequest(URI redirectUri, State state, Nonce nonce, CodeVerifier verifier)
			throws UpstreamLoginFailure {
		OIDCProviderMetadata metadata = discovered().metadata();
		return new AuthenticationRequest.Builder(ResponseType.CODE, new Scope(this.definition.scopes().toArray(String[]::new)),
				new ClientID(this.definition.clientId()), redirectUri)
			.endpointURI(metadata.getAuthorizationEndpointURI())
			.state(state)
			.nonce(nonce)
			.codeChallenge(verifier, CodeChallengeMethod.S256)
			.build()
			.toURI();
	}

	/**
	 * RFC 9207: an {@code iss} in the authorization response must be this provider's; when the provider
	 * says it always sends one, it must be there (a response from another provider, mixed up, has none).
	 */
	void checkResponseIssuer(Issuer responseIssuer) throws UpstreamLoginFailure {
		OIDCProviderMetadata metadata = discovered().metadata();
		if (responseIssuer == null) {
			if (metadata.supportsAuthorizationResponseIssuerParam()) {
				throw new UpstreamLoginFailure(Reason.INVALID_ANSWER, "authorization response without iss");
			}
			return;
		}
		if (!responseIssuer.getValue().equals(this.definition.issuer())) {
			throw new UpstreamLoginFailure(Reason.INVALID_ANSWER,
					"authorization response from another issuer: " + LogText.of(responseIssuer.getValue()));
		}
	}

	/** Redeems the code (with the PKCE verifier) and checks the ID token; then userinfo if configured. */
	VerifiedLogin redeem(AuthorizationCode code, URI redirectUri, CodeVerifier verifier, Nonce nonce)
			throws UpstreamLoginFailure {
		Discovered provider = discovered();
		OIDCTokenResponse tokens = exchange(provider.metadata(), code, redirectUri, verifier);
		IDTokenClaimsSet idToken;
		try {
			idToken = provider.idTokens().verify(tokens.getOIDCTokens().getIDToken(), nonce);
		}
		catch (BadJOSEException ex) {
			throw new UpstreamLoginFailure(Reason.INVALID_ANSWER, "ID token refused: " + ex.getMessage(), ex);
		}
		catch (JOSEException ex) {
			// the keys could not be fetched or used: maybe rotated away, maybe the provider is down
			forget();
			UpstreamCallFailure guard = UpstreamCallFailure.in(ex);
			throw new UpstreamLoginFailure(Reason.UNREACHABLE, "ID token keys unavailable: " + ex.getMessage(),
					new UpstreamError("jwks", guard != null ? guard.kind().code() : "unavailable"), ex);
		}
		UserInfo userInfo = this.definition.userinfo() ? userInfo(provider.metadata(), tokens, idToken) : null;
		return new VerifiedLogin(idToken, userInfo);
	}

	private OIDCTokenResponse exchange(OIDCProviderMetadata metadata, AuthorizationCode code, URI redirectUri,
			CodeVerifier verifier) throws UpstreamLoginFailure {
		AuthorizationCodeGrant grant = new AuthorizationCodeGrant(code, redirectUri, verifier);
		ClientID clientId = new ClientID(this.definition.clientId());
		TokenRequest request = this.definition.isPublicClient()
				? new TokenRequest(metadata.getTokenEndpointURI(), clientId, grant)
				: new TokenRequest(metadata.getTokenEndpointURI(), clientAuthentication(metadata, clientId), grant);
		HTTPResponse response = send(UpstreamCall.TOKEN, request.toHTTPRequest());
		TokenResponse parsed;
		try {
			parsed = OIDCTokenResponseParser.parse(response);
		}
		catch (ParseException ex) {
			throw new UpstreamLoginFailure(Reason.INVALID_ANSWER,
					"unreadable token response (HTTP " + response.getStatusCode() + "): " + ex.getMessage(), ex);
		}
		if (parsed instanceof TokenErrorResponse error) {
			ErrorObject object = error.getErrorObject();
			String detail = "token request refused: HTTP " + response.getStatusCode() + " " + LogText.of(object.getCode())
					+ " " + LogText.of(object.getDescription());
			// the provider's own trouble (5xx, server_error, temporarily_unavailable) is not a refusal of the code
			if (response.getStatusCode() >= 500 || OAuth2Error.SERVER_ERROR.getCode().equals(object.getCode())
					|| OAuth2Error.TEMPORARILY_UNAVAILABLE.getCode().equals(object.getCode())) {
				throw new UpstreamLoginFailure(Reason.UNREACHABLE, detail, new UpstreamError("token", "HTTP " + response.getStatusCode()), null);
			}
			throw new UpstreamLoginFailure(Reason.REFUSED, detail, new UpstreamError("token", LogText.of(object.getCode())), null);
		}
		if (!(parsed instanceof OIDCTokenResponse tokens) || tokens.getOIDCTokens().getIDToken() == null) {
			throw new UpstreamLoginFailure(Reason.INVALID_ANSWER, "token response without an ID token");
		}
		return tokens;
	}

	/** HTTP Basic unless the provider says it only takes the secret in the form. */
	private ClientAuthentication clientAuthentication(OIDCProviderMetadata metadata, ClientID clientId) {
		Secret secret = new Secret(this.definition.clientSecret());
		List<ClientAuthenticationMethod> supported = metadata.getTokenEndpointAuthMethods();
		if (supported != null && !supported.contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
				&& supported.contains(ClientAuthenticationMethod.CLIENT_SECRET_POST)) {
			return new ClientSecretPost(clientId, secret);
		}
		return new ClientSecretBasic(clientId, secret);
	}

	/**
	 * Profile claims from the userinfo endpoint. Optional: when it fails the ID token's claims suffice, so
	 * the person still signs in. Its {@code sub} must be the ID token's (OpenID Connect Core §5.3.2).
	 */
	private UserInfo userInfo(OIDCProviderMetadata metadata, OIDCTokenResponse tokens, IDTokenClaimsSet idToken) {
		if (metadata.getUserInfoEndpointURI() == null
				|| !(tokens.getOIDCTokens().getAccessToken() instanceof BearerAccessToken accessToken)) {
			return null;
		}
		try {
			HTTPResponse response = send(UpstreamCall.USERINFO,
					new UserInfoRequest(metadata.getUserInfoEndpointURI(), accessToken).toHTTPRequest());
			UserInfoResponse parsed = UserInfoResponse.parse(response);
			if (!parsed.indicatesSuccess()) {
				log.warn("OIDC upstream '{}': userinfo refused: {}", this.definition.id(),
						LogText.of(parsed.toErrorResponse().getErrorObject().getCode()));
				return null;
			}
			UserInfo userInfo = parsed.toSuccessResponse().getUserInfo();
			if (userInfo != null && !idToken.getSubject().equals(userInfo.getSubject())) {
				log.warn("OIDC upstream '{}': userinfo is about another subject; ignored", this.definition.id());
				return null;
			}
			return userInfo;
		}
		catch (UpstreamLoginFailure | ParseException ex) {
			log.warn("OIDC upstream '{}': userinfo unavailable, using the ID token alone: {}", this.definition.id(),
					ex.getMessage());
			return null;
		}
	}

	private Discovered discovered() throws UpstreamLoginFailure {
		Discovered current = this.discovered;
		if (current != null && current.at().plus(METADATA_MAX_AGE).isAfter(this.clock.instant())) {
			return current;
		}
		// one discovery at a time, but nobody waits longer than a call may take: a hung provider fails each
		// waiting login at the deadline instead of one deadline after another
		boolean locked;
		try {
			locked = this.discovering.tryLock(this.guard.timeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new UpstreamLoginFailure(Reason.UNREACHABLE, "interrupted while waiting for discovery",
					new UpstreamError("discovery", "interrupted"), ex);
		}
		if (!locked) {
			throw new UpstreamLoginFailure(Reason.UNREACHABLE, "discovery is slow: another login is still waiting for it",
					new UpstreamError("discovery", "timeout"), null);
		}
		try {
			current = this.discovered;
			if (current == null || !current.at().plus(METADATA_MAX_AGE).isAfter(this.clock.instant())) {
				current = discover();
				this.discovered = current;
			}
			return current;
		}
		finally {
			this.discovering.unlock();
		}
	}

	/** OpenID Connect Discovery §4: the issuer plus {@code /.well-known/openid-configuration}. */
	private Discovered discover() throws UpstreamLoginFailure {
		String issuer = this.definition.issuer();
		URI location = URI.create((issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer)
				+ "/.well-known/openid-configuration");
		HTTPResponse response = send(UpstreamCall.DISCOVERY, new HTTPRequest(HTTPRequest.Method.GET, location));
		OIDCProviderMetadata metadata;
		try {
			if (response.getStatusCode() != 200) {
				throw new UpstreamLoginFailure(Reason.UNREACHABLE, "discovery answered HTTP " + response.getStatusCode());
			}
			metadata = OIDCProviderMetadata.parse(response.getBodyAsJSONObject());
		}
		catch (ParseException ex) {
			throw new UpstreamLoginFailure(Reason.INVALID_ANSWER, "unreadable discovery document: " + ex.getMessage(), ex);
		}
		if (!metadata.getIssuer().getValue().equals(issuer)) {
			// Discovery §4.3: a document naming another issuer must not be used
			throw new UpstreamLoginFailure(Reason.INVALID_ANSWER,
					"discovery names issuer " + LogText.of(metadata.getIssuer().getValue()) + ", configured " + issuer);
		}
		if (metadata.getAuthorizationEndpointURI() == null || metadata.getTokenEndpointURI() == null
				|| metadata.getJWKSetURI() == null) {
			throw new UpstreamLoginFailure(Reason.INVALID_ANSWER,
					"discovery lacks the authorization, token or JWKS endpoint");
		}
		var keys = JWKSourceBuilder
			.<SecurityContext>create(toUrl(metadata.getJWKSetURI()),
					new UpstreamKeysRetriever(this::sendGuarded, this.definition.timeout()))
			.retrying(false)
			.build();
		IdTokenVerifier verifier = new IdTokenVerifier(issuer, this.definition.clientId(),
				IdTokenVerifier.acceptedAlgorithms(metadata.getIDTokenJWSAlgs()), keys);
		log.info("OIDC upstream '{}': discovered {}", this.definition.id(), issuer);
		return new Discovered(metadata, verifier, this.clock.instant());
	}

	private HTTPResponse send(UpstreamCall call, HTTPRequest request) throws UpstreamLoginFailure {
		UpstreamRequests.limit(request, this.definition.timeout());
		try {
			return sendGuarded(call, request);
		}
		catch (IOException ex) {
			forget();
			UpstreamCallFailure guard = UpstreamCallFailure.in(ex);
			String how = guard != null ? guard.kind().code()
					: ex instanceof java.net.SocketTimeoutException || ex instanceof java.net.http.HttpTimeoutException
							? "timeout" : "network";
			throw new UpstreamLoginFailure(Reason.UNREACHABLE, call + " failed: " + ex,
					new UpstreamError(call.name().toLowerCase(Locale.ROOT), how), ex);
		}
	}

	/**
	 * Every call to the provider, under the guard (breaker, bulkhead, deadline per provider); discovery, keys
	 * and userinfo are safe to ask again and retried on transient failures, the code exchange never is.
	 * @throws IOException when it failed, a guard's refusal as its cause
	 */
	private HTTPResponse sendGuarded(UpstreamCall call, HTTPRequest request) throws IOException {
		Repeat repeat = call == UpstreamCall.TOKEN ? Repeat.NEVER : Repeat.SAFE;
		try {
			return this.guard.call(this.definition.id(), call.name().toLowerCase(Locale.ROOT), repeat, () -> {
				HTTPResponse response;
				try {
					response = this.http.send(this.definition.id(), call, request);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
				if (response.getStatusCode() >= 500) {
					throw new ServerError(response);
				}
				return response;
			});
		}
		catch (ServerError ex) {
			return ex.response; // counted against the provider; read as the answer it is
		}
		catch (UncheckedIOException ex) {
			throw ex.getCause();
		}
		catch (UpstreamCallFailure ex) {
			throw new IOException(ex.getMessage(), ex);
		}
	}

	/** An HTTP 5xx, carried out of the guard as a failure so that the breaker counts it. */
	private static final class ServerError extends RuntimeException {

		private final transient HTTPResponse response;

		ServerError(HTTPResponse response) {
			super("HTTP " + response.getStatusCode(), null, false, false);
			this.response = response;
		}

	}

	/**
	 * A cheap, harmless call to see that the provider answers: its discovery document, fetched afresh (the
	 * cached one is left alone).
	 * @throws UpstreamLoginFailure when it does not answer usefully
	 */
	void probe() throws UpstreamLoginFailure {
		String issuer = this.definition.issuer();
		URI location = URI.create((issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer)
				+ "/.well-known/openid-configuration");
		HTTPResponse response = send(UpstreamCall.DISCOVERY, new HTTPRequest(HTTPRequest.Method.GET, location));
		if (response.getStatusCode() != 200) {
			throw new UpstreamLoginFailure(Reason.UNREACHABLE, "discovery answered HTTP " + response.getStatusCode(),
					new UpstreamError("discovery", "http_status"), null);
		}
	}

	/** After a failure: the next login discovers again (endpoints or keys may have moved). */
	void forget() {
		this.discovered = null;
	}

	private static java.net.URL toUrl(URI uri) throws UpstreamLoginFailure {
		try {
			return uri.toURL();
		}
		catch (java.net.MalformedURLException | IllegalArgumentException ex) {
			throw new UpstreamLoginFailure(Reason.INVALID_ANSWER, "JWKS URI is not a URL: " + uri, ex);
		}
	}

}
