package dev.tongxing.server.connector;

import dev.tongxing.server.account.ExternalIdentity;

/**
 * One upstream login, in the spirit of Keycloak's identity-provider SPI: it turns what its upstream hands
 * back — its proof of who the person is — into the one {@link ExternalIdentity} type that the account
 * package resolves to one account per person. Each upstream implements it once (WeChat: an app and a code;
 * phone: a verified SMS code; OpenID Connect: a verified ID token); the pages and grants around it are the
 * connector's own.
 *
 * @param <P> what this upstream's proof looks like
 */
public interface UpstreamLogin<P> {

	/** The login method this upstream provides ({@code wechat}, {@code phone}, {@code oidc:<id>}). */
	String method();

	/**
	 * Maps a proof to the person it identifies.
	 * @throws RuntimeException the connector's own failure types when the proof does not hold
	 */
	ExternalIdentity identify(P proof);

}
