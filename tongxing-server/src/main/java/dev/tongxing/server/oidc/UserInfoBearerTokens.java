package dev.tongxing.server.oidc;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

/**
 * Where the authorization server's endpoints find a bearer token: the {@code Authorization} header, and at the
 * userinfo endpoint also an {@code access_token} form field of a POST (RFC 6750 §2.2, which OpenID Connect Core
 * §5.3.1 allows for userinfo). Nowhere a query parameter (RFC 6750 §2.3: it ends up in logs), and no other
 * endpoint reads the body for a token.
 */
final class UserInfoBearerTokens implements BearerTokenResolver {

	static final String USERINFO = "/userinfo";

	private final DefaultBearerTokenResolver headerOnly = new DefaultBearerTokenResolver();

	private final DefaultBearerTokenResolver headerOrBody = new DefaultBearerTokenResolver();

	UserInfoBearerTokens() {
		this.headerOrBody.setAllowFormEncodedBodyParameter(true);
	}

	@Override
	public String resolve(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		return (USERINFO.equals(path) ? this.headerOrBody : this.headerOnly).resolve(request);
	}

}
