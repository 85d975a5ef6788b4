package dev.tongxing.server.login;

import dev.tongxing.server.account.UserAccount;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.WebAuthenticationDetailsSource;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.stereotype.Component;

/**
 * Finishes a browser sign-in for any login method: a fresh session id (no fixation), the user in the
 * session's security context, and the way back to the authorization request that sent the person here.
 * The principal is the user's opaque id, a plain string, so stored authorizations stay portable.
 */
@Component
public class SignIn {

	private final SecurityContextRepository contexts = new HttpSessionSecurityContextRepository();

	private final RequestCache requests = new HttpSessionRequestCache();

	private final java.time.Clock clock;

	public SignIn(java.time.Clock clock) {
		this.clock = clock;
	}

	/**
	 * @param method the login method that proved who the person is; recorded as the authentication factor
	 * (its time becomes the ID token's {@code auth_time})
	 * @return where to send the browser next
	 */
	public String complete(UserAccount user, String method, HttpServletRequest request, HttpServletResponse response) {
		var authentication = UsernamePasswordAuthenticationToken.authenticated(user.id(), null,
				List.of(new SimpleGrantedAuthority("ROLE_USER"),
						FactorGrantedAuthority.withFactor(method.toUpperCase(java.util.Locale.ROOT))
							.issuedAt(this.clock.instant()) // read back for re-authentication
							.build()));
		authentication.setDetails(new WebAuthenticationDetailsSource().buildDetails(request));
		if (request.getSession(false) != null) {
			request.changeSessionId();
		}
		SecurityContext context = SecurityContextHolder.createEmptyContext();
		context.setAuthentication(authentication);
		SecurityContextHolder.setContext(context);
		this.contexts.saveContext(context, request, response);
		SavedRequest saved = this.requests.getRequest(request, response);
		if (saved != null) {
			this.requests.removeRequest(request, response);
			return saved.getRedirectUrl();
		}
		return "/account";
	}

}
