package dev.tongxing.server.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * RFC 6750 §3 answers for the bearer-token endpoints (userinfo, and anything else that is not a page): 401 with
 * {@code WWW-Authenticate: Bearer}, never a redirect to the login page, never a session. Error descriptions are
 * our own short texts: the JWT library's decoding messages say more than a caller needs to know.
 */
public final class BearerChallenges {

	public static final String REALM = "tongxing";

	private BearerChallenges() {
	}

	/** For requests without a usable token: none at all, or one the resource server refused. */
	public static AuthenticationEntryPoint entryPoint() {
		return BearerChallenges::challenge;
	}

	/** For the userinfo endpoint's own refusals (a valid JWT whose authorization is gone, a missing scope). */
	public static AuthenticationFailureHandler userInfoErrors() {
		return BearerChallenges::challenge;
	}

	private static void challenge(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException exception) throws IOException {
		String code = exception instanceof OAuth2AuthenticationException oauth ? oauth.getError().getErrorCode() : null;
		HttpStatus status;
		String description;
		if (code == null) {
			// no token at all: RFC 6750 §3.1 says such a challenge should carry no error code
			status = HttpStatus.UNAUTHORIZED;
			description = null;
		}
		else if (OAuth2ErrorCodes.INSUFFICIENT_SCOPE.equals(code)) {
			status = HttpStatus.FORBIDDEN;
			description = "The access token does not allow this request";
		}
		else if (OAuth2ErrorCodes.INVALID_REQUEST.equals(code)) {
			status = HttpStatus.BAD_REQUEST;
			description = "The access token must be sent once, in the Authorization header or the form body";
		}
		else {
			code = OAuth2ErrorCodes.INVALID_TOKEN;
			status = HttpStatus.UNAUTHORIZED;
			description = "The access token is invalid, expired or revoked";
		}
		StringBuilder header = new StringBuilder("Bearer realm=\"" + REALM + "\"");
		if (code != null) {
			header.append(", error=\"").append(code).append("\", error_description=\"").append(description).append('"');
		}
		response.setStatus(status.value());
		response.setHeader("WWW-Authenticate", header.toString());
		response.setHeader("Cache-Control", "no-store");
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.getWriter()
			.write(code == null ? "{\"error_description\":\"An access token is required\"}"
					: "{\"error\":\"" + code + "\",\"error_description\":\"" + description + "\"}");
	}

}
