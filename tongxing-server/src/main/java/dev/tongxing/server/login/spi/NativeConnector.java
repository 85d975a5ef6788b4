package dev.tongxing.server.login.spi;

import dev.tongxing.server.account.ExternalIdentity;
import java.util.Map;

/**
 * A connector for native apps: the app's SDK hands it a code or token, which reaches the gateway as an
 * RFC 8693 token exchange at {@code /oauth2/token}; the one token-exchange grant picks the connector by its
 * {@code subject_token_type} and turns the code into an identity through it.
 */
public interface NativeConnector extends Connector {

	/** The {@code subject_token_type} it takes, e.g. {@code urn:tongxing:token-type:wechat-code}. */
	String subjectTokenType();

	/**
	 * Checks a request before anything irrevocable happens (before the code is sent upstream, before the
	 * privacy-policy check): an unknown app is the client's mistake.
	 * @param parameters the request's other single-valued parameters ({@code appid}, …)
	 * @return the upstream app the code belongs to (a WeChat appid), for records
	 * @throws NativeLoginException when the request cannot be served
	 */
	String app(Map<String, String> parameters);

	/**
	 * Turns the code into the person it proves, sending it upstream at most once.
	 * @throws ConnectorFailure when the upstream refused it or could not be asked
	 * @throws NativeLoginException when the request must be refused for another reason
	 */
	ExternalIdentity identify(String subjectToken, Map<String, String> parameters);

	/**
	 * Extras once the person is signed in (a mini program binds the phone behind {@code phone_code}), added to
	 * the token response; never fails the login.
	 */
	default Map<String, Object> afterSignIn(String userId, Map<String, String> parameters) {
		return Map.of();
	}

	/**
	 * The token-request parameters besides the standard ones that this connector reads (each at most once),
	 * and whether each is required ({@code appid}: yes).
	 */
	default Map<String, Boolean> parameters() {
		return Map.of();
	}

	/** The upstream's name in error descriptions for the app's developers ("WeChat"). */
	String displayName();

	/**
	 * What its login makes known about the person, as consent records name the data categories
	 * ({@code wechat-identifiers}, {@code wechat-profile}).
	 */
	java.util.List<String> dataCategories();

	/**
	 * What this request's login makes known, when its parameters add to {@link #dataCategories()} (a mini
	 * program's {@code phone_code} adds {@code phone-number}, which needs separate consent first).
	 */
	default java.util.List<String> dataCategories(Map<String, String> parameters) {
		return dataCategories();
	}

}
