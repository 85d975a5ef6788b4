package dev.tongxing.server.oidc;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.tongxing.server.oidc.client.ClientSettingNames;
import dev.tongxing.server.oidc.client.RedirectUriRules;
import java.net.URI;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * What an authorization request must satisfy beyond Spring Authorization Server's own checks (which run too):
 * exact loopback redirect URIs but for public native clients, a well-formed PKCE challenge, only the
 * {@code prompt}, {@code max_age} and {@code response_mode} values this provider honours, no request objects,
 * and a {@code nonce} from a client allowed to go without PKCE. Errors found after the redirect URI is known to be
 * registered go back to the client (OpenID Connect Core §3.1.2.6); the others are shown to the person.
 */
final class AuthorizationRequestRules implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

	static final Set<String> PROMPT_VALUES = Set.of("none", "login", "consent");

	static final String FORM_POST = "form_post";

	static final Set<String> RESPONSE_MODES = Set.of("query", FORM_POST);

	/** RFC 7636 §4.2: BASE64URL(SHA-256(verifier)) is always 43 characters. */
	private static final Pattern S256_CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");

	/** The request parameter a non-PAR {@code request_uri} is moved to, so it can be refused here. */
	static final String REFUSED_REQUEST_URI = "tongxing_refused_request_uri";

	private static final String OIDC_ERRORS = "https://openid.net/specs/openid-connect-core-1_0.html#AuthError";

	private final Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> defaults = new OAuth2AuthorizationCodeRequestAuthenticationValidator();

	@Override
	public void accept(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
		OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
		RegisteredClient client = context.getRegisteredClient();
		exactLoopbackRedirect(request, client);
		this.defaults.accept(context);
		Map<String, Object> parameters = request.getAdditionalParameters();
		if (parameters.containsKey("request")) {
			refuse(request, "request_not_supported", "Request objects are not supported; send the parameters as such");
		}
		if (parameters.containsKey(REFUSED_REQUEST_URI)) {
			refuse(request, "request_uri_not_supported",
					"Only a request_uri from this provider's pushed authorization request endpoint is accepted");
		}
		Object responseMode = parameters.get("response_mode");
		if (responseMode != null && !RESPONSE_MODES.contains(responseMode.toString())) {
			refuse(request, OAuth2ErrorCodes.INVALID_REQUEST, "response_mode must be query or form_post");
		}
		Object challenge = parameters.get("code_challenge");
		if (challenge != null && !S256_CHALLENGE.matcher(challenge.toString()).matches()) {
			refuse(request, OAuth2ErrorCodes.INVALID_REQUEST,
					"code_challenge must be 43 base64url characters (BASE64URL(SHA-256(code_verifier)))");
		}
		Object prompt = parameters.get("prompt");
		if (prompt != null && Arrays.stream(prompt.toString().trim().split(" +")).anyMatch(v -> !PROMPT_VALUES.contains(v))) {
			refuse(request, OAuth2ErrorCodes.INVALID_REQUEST, "prompt may only hold none, login or consent");
		}
		Object maxAge = parameters.get("max_age");
		if (maxAge != null && maxAge(maxAge.toString()) < 0) {
			refuse(request, OAuth2ErrorCodes.INVALID_REQUEST, "max_age must be a number of seconds, 0 or more");
		}
		Object claims = parameters.get("claims");
		if (claims != null && !isJsonObject(claims.toString())) {
			refuse(request, OAuth2ErrorCodes.INVALID_REQUEST, "claims must be a JSON object");
		}
		if (nonceRequired(client) && request.getScopes().contains(OidcScopes.OPENID)
				&& (parameters.get("nonce") == null || parameters.get("nonce").toString().isBlank())) {
			refuse(request, OAuth2ErrorCodes.INVALID_REQUEST, client.getClientSettings().isRequireProofKey()
					? "This client must send a nonce" : "This client does not use PKCE, so it must send a nonce (RFC 9700 §2.1.1)");
		}
	}

	private static boolean nonceRequired(RegisteredClient client) {
		Object setting = client.getClientSettings().getSetting(ClientSettingNames.REQUIRE_NONCE);
		return setting instanceof Boolean required ? required : !client.getClientSettings().isRequireProofKey();
	}

	/** @return the seconds of a well-formed {@code max_age}, or -1 */
	static long maxAge(String value) {
		if (!value.matches("[0-9]{1,10}")) {
			return -1;
		}
		return Long.parseLong(value);
	}

	/**
	 * RFC 8252 §7.3 lets a native app's loopback redirect URI take any port; Spring Authorization Server grants
	 * that to every client. Only public clients (native apps) keep it: a confidential client's redirect URI must
	 * match exactly (RFC 9700 §2.1), port included, also when it was registered without one.
	 */
	private static void exactLoopbackRedirect(OAuth2AuthorizationCodeRequestAuthenticationToken request,
			RegisteredClient client) {
		String requested = request.getRedirectUri();
		if (requested == null || client.getRedirectUris().contains(requested)
				|| client.getClientAuthenticationMethods().equals(Set.of(ClientAuthenticationMethod.NONE))) {
			return;
		}
		String host;
		try {
			host = URI.create(requested).getHost();
		}
		catch (IllegalArgumentException ex) {
			return; // the default validator refuses it
		}
		if (RedirectUriRules.isLoopbackLiteral(host)) {
			// not registered: never sent back there
			throw new OAuth2AuthorizationCodeRequestAuthenticationException(new OAuth2Error(
					OAuth2ErrorCodes.INVALID_REQUEST, "OAuth 2.0 Parameter: redirect_uri", null), null);
		}
	}

	private static boolean isJsonObject(String value) {
		try {
			JSONObjectUtils.parse(value);
			return true;
		}
		catch (java.text.ParseException | RuntimeException ex) {
			return false;
		}
	}

	private static void refuse(OAuth2AuthorizationCodeRequestAuthenticationToken request, String code,
			String description) {
		throw new OAuth2AuthorizationCodeRequestAuthenticationException(new OAuth2Error(code, description, OIDC_ERRORS),
				request);
	}

}
