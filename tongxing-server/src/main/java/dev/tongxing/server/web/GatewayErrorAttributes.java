package dev.tongxing.server.web;

import java.util.Map;
import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.webmvc.error.DefaultErrorAttributes;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.WebRequest;

/**
 * Adds the OAuth error (if a protocol endpoint left one for the person to read) to what the error page
 * sees. Stack traces and exception messages never reach it (see server.error.* in application.yml).
 */
@Component
public class GatewayErrorAttributes extends DefaultErrorAttributes {

	/** Request attribute under which protocol code leaves an {@link OAuth2Error} for the error page. */
	public static final String OAUTH_ERROR = "tongxing.oauth2.error";

	@Override
	public Map<String, Object> getErrorAttributes(WebRequest request, ErrorAttributeOptions options) {
		Map<String, Object> attributes = super.getErrorAttributes(request, options);
		if (request.getAttribute(OAUTH_ERROR, RequestAttributes.SCOPE_REQUEST) instanceof OAuth2Error error) {
			attributes.put("oauthErrorCode", error.getErrorCode());
			attributes.put("oauthErrorDescription", error.getDescription());
		}
		return attributes;
	}

}
