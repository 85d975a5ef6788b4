package dev.tongxing.server.oidc;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * What happens to an authorization request before anyone is asked to sign in. Spring Authorization Server 7 runs
 * its authorization endpoint after the access decision, so a person who is not signed in goes to the login page
 * before its provider sees the request; only its own pre-login validation (client, redirect URI, scopes) runs
 * earlier, and it stores the request it validated. On that request this filter runs:
 * <ul>
 * <li>{@link AuthorizationRequestRules}, so a malformed request is refused before a needless sign-in;</li>
 * <li>{@code prompt=login} and {@code max_age} ({@link ReauthenticationRequests}): for a sign-in that must be
 * repeated, the request is read as if nobody were signed in (the session keeps its sign-in until a new one);</li>
 * <li>{@code prompt=none} with nobody (or nobody recent enough) signed in: {@code login_required}.</li>
 * </ul>
 * Errors go back to the client through the endpoint's own error handler.
 */
final class AuthorizationRequestFilter extends OncePerRequestFilter {

	/** Where Spring Authorization Server's pre-login validation leaves the request it validated. */
	private static final String VALIDATED_REQUEST = OAuth2AuthorizationCodeRequestAuthenticationToken.class.getName();

	private final RegisteredClientRepository clients;

	private final AuthorizationRequestRules rules = new AuthorizationRequestRules();

	private final ReauthenticationRequests reauthentication;

	private final AuthenticationFailureHandler errors;

	AuthorizationRequestFilter(RegisteredClientRepository clients, ReauthenticationRequests reauthentication,
			AuthenticationFailureHandler errors) {
		this.clients = clients;
		this.reauthentication = reauthentication;
		this.errors = errors;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !ApiRequests.isAuthorizationRequest(request);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!(request.getAttribute(VALIDATED_REQUEST) instanceof OAuth2AuthorizationCodeRequestAuthenticationToken validated)) {
			chain.doFilter(request, response); // a consent decision, a pushed request's reference, or refused already
			return;
		}
		try {
			RegisteredClient client = this.clients.findByClientId(validated.getClientId());
			this.rules.accept(OAuth2AuthorizationCodeRequestAuthenticationContext.with(validated)
				.registeredClient(client)
				.build());
			Authentication current = SecurityContextHolder.getContext().getAuthentication();
			Optional<Instant> signedIn = SignInTimes.lastSignIn(current);
			boolean signInNeeded = signedIn.isEmpty() || this.reauthentication.mustSignInAgain(request, signedIn.get());
			if (signedIn.isEmpty()) {
				this.reauthentication.signInStarts(request);
			}
			if (signInNeeded && promptNone(request)) {
				throw new OAuth2AuthorizationCodeRequestAuthenticationException(new OAuth2Error("login_required",
						"prompt=none, and the person must sign in", null), validated);
			}
			if (signInNeeded && signedIn.isPresent()) {
				// for this request only: the access decision that follows sends the person to sign in again
				SecurityContextHolder.clearContext();
			}
		}
		catch (OAuth2AuthorizationCodeRequestAuthenticationException ex) {
			this.errors.onAuthenticationFailure(request, response, ex);
			return;
		}
		chain.doFilter(request, response);
	}

	private static boolean promptNone(HttpServletRequest request) {
		String prompt = request.getParameter("prompt");
		return prompt != null && Arrays.asList(prompt.trim().split(" +")).contains("none");
	}

}
