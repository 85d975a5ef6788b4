package dev.tongxing.server.login;

import dev.tongxing.server.account.UserAccount;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
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
import org.springframework.web.util.UriComponents;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * Finishes a browser sign-in for any login method: a fresh session id (no fixation), the user in the
 * session's security context, and the way back to the authorization request that sent the person here.
 * The principal is the user's opaque id, a plain string, so stored authorizations stay portable.
 */
@Component
public class SignIn {

	/** The only endpoint whose saved POST comes back as a GET (every other form is CSRF-bound to its session). */
	private static final String AUTHORIZATION_ENDPOINT = "/oauth2/authorize";

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
			return wayBack(saved);
		}
		return "/account";
	}

	/**
	 * The saved request's URL. An authorization request sent by POST (OpenID Connect Core §3.1.2.1 allows
	 * both methods) has its parameters in the body, not the URL: they come back as the query of a GET to
	 * the same endpoint, or the request would return without them.
	 */
	static String wayBack(SavedRequest saved) {
		if (!"POST".equalsIgnoreCase(saved.getMethod())) {
			return saved.getRedirectUrl();
		}
		UriComponents original = UriComponentsBuilder.fromUriString(saved.getRedirectUrl()).build();
		if (!AUTHORIZATION_ENDPOINT.equals(original.getPath())) {
			return saved.getRedirectUrl();
		}
		// the parameter map holds the body's and the query's; the request cache's own marker is the query's alone
		UriComponentsBuilder url = UriComponentsBuilder.fromUriString(saved.getRedirectUrl()).replaceQuery(null);
		Map<String, String[]> parameters = saved.getParameterMap();
		parameters.forEach((name, values) -> {
			if (!"_csrf".equals(name)) {
				for (String value : values) {
					url.queryParam(UriUtils.encodeQueryParam(name, StandardCharsets.UTF_8),
							UriUtils.encodeQueryParam(value, StandardCharsets.UTF_8));
				}
			}
		});
		original.getQueryParams().forEach((name, values) -> {
			if (!parameters.containsKey(name)) {
				url.queryParam(name, values.toArray());
			}
		});
		return url.build(true).toUriString();
	}

}
