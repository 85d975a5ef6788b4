package dev.tongxing.server.oidc;

import dev.tongxing.server.web.GatewayErrorAttributes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.util.StringUtils;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Authorization responses that carry the {@code iss} parameter (RFC 9207), success and error alike, so a
 * client talking to several providers can tell which one answered (mix-up attacks, RFC 9700 §4.4).
 * Errors that cannot be sent back safely (unknown client, unregistered redirect URI) are shown to the
 * person on a readable page instead.
 */
final class IssuerAwareAuthorizationResponses {

	/**
	 * The response mode of the request a consent decision answers, noted while the decision is taken: a refusal
	 * removes that request, and Spring Authorization Server's error carries none of its extra parameters.
	 */
	private static final String CONSENTED_RESPONSE_MODE = IssuerAwareAuthorizationResponses.class.getName()
			+ ".responseMode";

	private final String issuer;

	/** Finds the request behind a code when the response mode is not in the request itself (PAR, consent). */
	private final OAuth2AuthorizationService authorizations;

	IssuerAwareAuthorizationResponses(String issuer, OAuth2AuthorizationService authorizations) {
		this.issuer = issuer;
		this.authorizations = authorizations;
	}

	/** Keeps the consented request's response mode for this request's error response. */
	static void rememberResponseMode(OAuth2AuthorizationRequest consented) {
		Object mode = consented == null ? null : consented.getAdditionalParameters().get("response_mode");
		if (mode != null && RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes current) {
			current.getRequest().setAttribute(CONSENTED_RESPONSE_MODE, mode.toString());
		}
	}

	AuthenticationSuccessHandler successHandler() {
		return this::onSuccess;
	}

	AuthenticationFailureHandler failureHandler() {
		return this::onFailure;
	}

	private void onSuccess(HttpServletRequest request, HttpServletResponse response, Authentication authentication)
			throws IOException {
		var result = (OAuth2AuthorizationCodeRequestAuthenticationToken) authentication;
		String code = result.getAuthorizationCode().getTokenValue();
		if (formPost(request, code)) {
			Map<String, String> fields = new LinkedHashMap<>();
			fields.put(OAuth2ParameterNames.CODE, code);
			addStateAndIssuer(fields, result.getState());
			FormPostResponses.write(response, result.getRedirectUri(), fields);
			return;
		}
		UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(result.getRedirectUri())
			.queryParam(OAuth2ParameterNames.CODE, code);
		addStateAndIssuer(uri, result.getState());
		response.sendRedirect(uri.build(true).toUriString());
	}

	/** Whether the request that this code answers asked for {@code response_mode=form_post}. */
	private boolean formPost(HttpServletRequest request, String code) {
		String mode = request.getParameter("response_mode");
		if (mode == null && (request.getParameter(OAuth2ParameterNames.REQUEST_URI) != null
				|| "POST".equals(request.getMethod()))) {
			OAuth2Authorization authorization = this.authorizations.findByToken(code,
					new OAuth2TokenType(OAuth2ParameterNames.CODE));
			OAuth2AuthorizationRequest original = authorization == null ? null
					: authorization.getAttribute(OAuth2AuthorizationRequest.class.getName());
			Object saved = original == null ? null : original.getAdditionalParameters().get("response_mode");
			mode = saved == null ? null : saved.toString();
		}
		return AuthorizationRequestRules.FORM_POST.equals(mode);
	}

	private void onFailure(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException exception) throws IOException {
		OAuth2Error error = ((OAuth2AuthenticationException) exception).getError();
		OAuth2AuthorizationCodeRequestAuthenticationToken attempted = exception instanceof OAuth2AuthorizationCodeRequestAuthenticationException e
				? e.getAuthorizationCodeRequestAuthentication() : null;
		if (attempted == null || !StringUtils.hasText(attempted.getRedirectUri())) {
			request.setAttribute(GatewayErrorAttributes.OAUTH_ERROR, error);
			response.sendError(HttpStatus.BAD_REQUEST.value(), error.getErrorCode());
			return;
		}
		// an error about the response mode itself is sent the default way
		Object mode = attempted.getAdditionalParameters().get("response_mode");
		String state = attempted.getState();
		if (mode == null) {
			mode = request.getAttribute(CONSENTED_RESPONSE_MODE);
		}
		if (mode == null && "request_not_supported".equals(error.getErrorCode())
				&& attempted.getAdditionalParameters().get("request") instanceof String object) {
			// the refused request object may be where the client asked for form_post (OIDC Core §6.1): read
			// only how to answer, to a redirect URI already checked against the registration
			Map<String, Object> claims = unverifiedClaims(object);
			mode = claims.get("response_mode");
			if (state == null && claims.get("state") instanceof String inside) {
				state = inside;
			}
		}
		if (AuthorizationRequestRules.FORM_POST.equals(mode)) {
			Map<String, String> fields = new LinkedHashMap<>();
			fields.put(OAuth2ParameterNames.ERROR, error.getErrorCode());
			if (StringUtils.hasText(error.getDescription())) {
				fields.put(OAuth2ParameterNames.ERROR_DESCRIPTION, error.getDescription());
			}
			if (StringUtils.hasText(error.getUri())) {
				fields.put(OAuth2ParameterNames.ERROR_URI, error.getUri());
			}
			addStateAndIssuer(fields, state);
			FormPostResponses.write(response, attempted.getRedirectUri(), fields);
			return;
		}
		UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(attempted.getRedirectUri())
			.queryParam(OAuth2ParameterNames.ERROR, error.getErrorCode());
		if (StringUtils.hasText(error.getDescription())) {
			uri.queryParam(OAuth2ParameterNames.ERROR_DESCRIPTION, encode(error.getDescription()));
		}
		if (StringUtils.hasText(error.getUri())) {
			uri.queryParam(OAuth2ParameterNames.ERROR_URI, encode(error.getUri()));
		}
		addStateAndIssuer(uri, state);
		response.sendRedirect(uri.build(true).toUriString());
	}

	private void addStateAndIssuer(UriComponentsBuilder uri, String state) {
		if (StringUtils.hasText(state)) {
			uri.queryParam(OAuth2ParameterNames.STATE, encode(state));
		}
		uri.queryParam("iss", encode(this.issuer));
	}

	private void addStateAndIssuer(Map<String, String> fields, String state) {
		if (StringUtils.hasText(state)) {
			fields.put(OAuth2ParameterNames.STATE, state);
		}
		fields.put("iss", this.issuer);
	}

	/** A request object's claims, unverified and only for how to answer; empty when it is no JWT at all. */
	static Map<String, Object> unverifiedClaims(String requestObject) {
		try {
			return com.nimbusds.jwt.JWTParser.parse(requestObject).getJWTClaimsSet().getClaims();
		}
		catch (java.text.ParseException | RuntimeException notAJwt) {
			return Map.of();
		}
	}

	private static String encode(String value) {
		return UriUtils.encode(value, StandardCharsets.UTF_8);
	}

}
