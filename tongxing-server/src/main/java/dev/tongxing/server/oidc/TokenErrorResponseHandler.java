package dev.tongxing.server.oidc;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * Token endpoint errors as RFC 6749 §5.2 JSON (400, or 401 for {@code invalid_client}), plus the extra
 * parameters an {@link OAuth2ErrorWithParameters} carries.
 */
final class TokenErrorResponseHandler implements AuthenticationFailureHandler {

	private final JsonMapper json = JsonMapper.builder().build();

	@Override
	public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException exception) throws IOException {
		OAuth2Error error = exception instanceof OAuth2AuthenticationException oauth ? oauth.getError()
				: new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("error", error.getErrorCode());
		if (error.getDescription() != null) {
			body.put("error_description", error.getDescription());
		}
		if (error.getUri() != null) {
			body.put("error_uri", error.getUri());
		}
		if (exception instanceof OAuth2ErrorWithParameters extended) {
			extended.parameters().forEach(body::putIfAbsent);
		}
		response.setStatus(OAuth2ErrorCodes.INVALID_CLIENT.equals(error.getErrorCode())
				? HttpStatus.UNAUTHORIZED.value() : HttpStatus.BAD_REQUEST.value());
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setHeader("Cache-Control", "no-store");
		response.getWriter().write(this.json.writeValueAsString(body));
	}

}
