package dev.tongxing.server.oidc;

import jakarta.servlet.Filter;

/**
 * A filter another package adds to the authorization server's endpoints (token, authorization,
 * introspection, userinfo, …), run once the caller is authenticated (client authentication, bearer token)
 * and before the endpoint itself, e.g. rate limits. Not a servlet filter of its own: only this chain runs it.
 */
public interface AuthenticatedEndpointFilter {

	Filter filter();

}
