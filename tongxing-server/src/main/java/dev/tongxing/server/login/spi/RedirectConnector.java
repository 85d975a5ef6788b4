package dev.tongxing.server.login.spi;

import dev.tongxing.server.account.ExternalIdentity;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.util.Map;

/**
 * A connector the browser visits (WeChat's QR and official-account logins, an OpenID Connect provider): the
 * login broker serves its two pages, {@code /login/<path>} and {@code /login/<path>/callback}, and owns
 * everything around them — the state, its binding to the browser, its single use and expiry, the failure
 * records, account linking, the gates and the sign-in. The connector only translates: from a login about to
 * begin to the upstream's authorization URL, and from the upstream's answer to the person it proves.
 */
public interface RedirectConnector extends Connector {

	/** Where its pages live under {@code /login/}: {@code wechat}, {@code oidc/<id>}; its id with ':' as '/'. */
	default String path() {
		return id().replace(':', '/');
	}

	/** The upstream's name where an account link needs one and the upstream gave no display name ("WeChat"). */
	String displayName();

	/**
	 * Where to send the browser for a new login. Nothing is saved when this throws.
	 * @throws ConnectorFailure when the upstream cannot be asked, or the connector is not configured for it
	 */
	Authorization authorize(Begin begin);

	/**
	 * Turns the upstream's answer into the person it proves, sending its code upstream at most once.
	 * @throws ConnectorFailure when the upstream refused, the person cancelled, or the answer is not believable
	 */
	Answer callback(Callback callback);

	/**
	 * The {@code error} of the login page this failure sends the browser back to: {@code login.error.<it>} is its
	 * message key (e.g. {@code wechat.code}). By default one of the core's words for the failure's cause
	 * ({@code sign-in.cancelled}, {@code .expired}, {@code .refused}, {@code .unavailable}, {@code .failed}), so a new
	 * connector needs no messages of its own for them.
	 */
	default String loginError(ConnectorFailure failure) {
		return "sign-in." + switch (failure.failureCause()) {
			case USER_CANCELLED -> "cancelled";
			case STATE_INVALID -> "expired";
			case APP_NOT_AUTHORISED -> "refused";
			case UPSTREAM_UNAVAILABLE, UPSTREAM_RATE_LIMITED, UPSTREAM_QUOTA, NETWORK -> "unavailable";
			default -> "failed";
		};
	}

	/** After a sign-in through it (a cookie that picks the quicker flow next time, say). */
	default void signedIn(Callback callback, HttpServletResponse response) {
	}

	/** Why the browser is sent out: to sign in, or to add this method to the signed-in person's account. */
	enum Purpose {
		LOGIN, BIND
	}

	/**
	 * A login about to begin.
	 * @param request the browser's request ({@code /login/<path>?…}), for its parameters and headers
	 * @param state the login's state, unguessable; the broker saves the login under it once this returns
	 * @param callbackUri the callback to give the upstream (registered with it as the redirect URI)
	 */
	record Begin(HttpServletRequest request, String state, URI callbackUri, Purpose purpose) {
	}

	/**
	 * Where the broker sends the browser, and what it keeps for the callback.
	 * @param app the upstream app the login goes to (a WeChat appid, an upstream id), for records
	 * @param attributes what the callback needs (a nonce, a PKCE verifier, a scope); the key {@code purpose} is the
	 * broker's
	 */
	record Authorization(URI location, String app, Map<String, String> attributes) {
	}

	/**
	 * The upstream's answer at the callback, for a login this browser began, taken once.
	 * @param app and {@code attributes}: as the connector's {@link Authorization} said
	 */
	record Callback(HttpServletRequest request, URI callbackUri, String app, Map<String, String> attributes,
			Purpose purpose) {
	}

	/** What the upstream's answer proved. */
	sealed interface Answer {

		/** The person is proven: the broker signs them in (or links the identity, when binding). */
		static Answer identified(ExternalIdentity identity) {
			return new Identified(identity, null);
		}

		/**
		 * The answer identifies the person only if they have an account already (a silent authorization gives no
		 * profile); a stranger is sent to {@code otherwise} to begin again, asked for more.
		 */
		static Answer identifiedIfKnown(ExternalIdentity identity, String otherwise) {
			return new Identified(identity, otherwise);
		}

		/** The login cannot go on, and a page of the connector's explains why (a view name). */
		static Answer page(String view) {
			return new Page(view);
		}

		record Identified(ExternalIdentity identity, String unlessKnown) implements Answer {
		}

		record Page(String view) implements Answer {
		}

	}

}
