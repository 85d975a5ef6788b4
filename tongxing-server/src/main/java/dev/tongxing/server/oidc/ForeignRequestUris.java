package dev.tongxing.server.oidc;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * A {@code request_uri} that is not one of our pushed authorization requests (RFC 9126) is a request object by
 * reference, which this provider does not fetch. Spring Authorization Server would take it for a broken PAR
 * reference; renamed, the request is read as an ordinary one and {@link AuthorizationRequestRules} answers
 * {@code request_uri_not_supported} to the client once its redirect URI is known to be registered.
 */
final class ForeignRequestUris implements AuthenticationConverter {

	static final String PAR_PREFIX = "urn:ietf:params:oauth:request_uri:";

	private final AuthenticationConverter delegate;

	ForeignRequestUris(AuthenticationConverter delegate) {
		this.delegate = delegate;
	}

	@Override
	public Authentication convert(HttpServletRequest request) {
		String requestUri = request.getParameter("request_uri");
		if (requestUri == null || requestUri.startsWith(PAR_PREFIX)) {
			return this.delegate.convert(request);
		}
		Map<String, String[]> parameters = new LinkedHashMap<>(request.getParameterMap());
		parameters.put(AuthorizationRequestRules.REFUSED_REQUEST_URI, parameters.remove("request_uri"));
		return this.delegate.convert(new HttpServletRequestWrapper(request) {
			@Override
			public String getParameter(String name) {
				String[] values = parameters.get(name);
				return values == null || values.length == 0 ? null : values[0];
			}

			@Override
			public Map<String, String[]> getParameterMap() {
				return Collections.unmodifiableMap(parameters);
			}

			@Override
			public Enumeration<String> getParameterNames() {
				return Collections.enumeration(parameters.keySet());
			}

			@Override
			public String[] getParameterValues(String name) {
				return parameters.get(name);
			}

			@Override
			public String getQueryString() {
				// the converter takes a GET request's parameters from those the query string names
				String query = super.getQueryString();
				return query == null ? null : query.replace("request_uri=", AuthorizationRequestRules.REFUSED_REQUEST_URI + "=");
			}
		});
	}

}
