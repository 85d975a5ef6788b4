package dev.tongxing.server.oidc;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcLogoutAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.oidc.web.authentication.OidcLogoutAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.logout.SecurityContextLogoutHandler;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * OpenID Connect RP-Initiated Logout 1.0 at {@code /connect/logout}, beyond Spring Authorization Server's: the
 * clients the browser session signed in to hear of it by back-channel logout; without a
 * {@code post_logout_redirect_uri} the person sees that they are signed out; and without an {@code id_token_hint}
 * (the client cannot be told apart from anyone else) the person is asked to confirm instead of shown an error
 * (§2: the OP SHOULD ask the End-User whether to log out).
 */
final class RpInitiatedLogout {

	static final String ENDPOINT = "/connect/logout";

	/** The confirmation page (login package); its form posts to the session logout. */
	static final String CONFIRM_PAGE = "/logout/confirm";

	/** The login page, saying the person signed out. */
	static final String SIGNED_OUT_PAGE = "/login?signed-out";

	private RpInitiatedLogout() {
	}

	/** The logout endpoint's answer once the request is valid. */
	static AuthenticationSuccessHandler responseHandler(ApplicationEventPublisher events) {
		OidcLogoutAuthenticationSuccessHandler redirectToClient = new OidcLogoutAuthenticationSuccessHandler();
		SecurityContextLogoutHandler logout = new SecurityContextLogoutHandler();
		return (request, response, authentication) -> {
			OidcLogoutAuthenticationToken token = (OidcLogoutAuthenticationToken) authentication;
			if (token.isPrincipalAuthenticated()) {
				Object sid = token.getIdToken().getClaims().get("sid");
				if (sid != null) {
					events.publishEvent(new SignedOutAtProvider(((Authentication) token.getPrincipal()).getName(),
							sid.toString()));
				}
			}
			if (token.getPostLogoutRedirectUri() != null) {
				redirectToClient.onAuthenticationSuccess(request, response, authentication);
				return;
			}
			if (token.isPrincipalAuthenticated()) {
				logout.logout(request, response, (Authentication) token.getPrincipal());
			}
			response.sendRedirect(request.getContextPath() + SIGNED_OUT_PAGE);
		};
	}

	/** Before the endpoint: a request without {@code id_token_hint} goes to the confirmation page. */
	static OncePerRequestFilter withoutIdTokenHint() {
		return new OncePerRequestFilter() {

			@Override
			protected boolean shouldNotFilter(HttpServletRequest request) {
				String path = request.getRequestURI().substring(request.getContextPath().length());
				return !ENDPOINT.equals(path) || request.getParameter("id_token_hint") != null;
			}

			@Override
			protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
					FilterChain chain) throws ServletException, IOException {
				Authentication current = SecurityContextHolder.getContext().getAuthentication();
				boolean signedIn = current != null && current.isAuthenticated()
						&& !(current instanceof AnonymousAuthenticationToken);
				// post_logout_redirect_uri is not followed: without the hint nothing says which client sent it
				response.sendRedirect(request.getContextPath() + (signedIn ? CONFIRM_PAGE : SIGNED_OUT_PAGE));
			}
		};
	}

}
