package dev.tongxing.server.oidc;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.endpoint.DefaultOAuth2AccessTokenResponseMapConverter;
import org.springframework.security.oauth2.core.endpoint.OAuth2AccessTokenResponse;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.core.http.converter.OAuth2AccessTokenResponseHttpMessageConverter;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;

/**
 * Writes token responses like Spring Authorization Server does, but states {@code expires_in} as the
 * token's whole lifetime rounded up (7200, not 7199 because a few milliseconds passed while writing), and
 * announces every issuance as a {@link TokenIssued} event.
 */
final class TokenResponseHandler implements AuthenticationSuccessHandler {

	private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TokenResponseHandler.class);

	private final OAuth2AccessTokenResponseHttpMessageConverter converter = new OAuth2AccessTokenResponseHttpMessageConverter();

	private final ApplicationEventPublisher events;

	private final SubjectResolver subjects;

	private final org.springframework.transaction.support.TransactionTemplate transaction;

	/**
	 * @param transaction what a person's grant announces (its audit entry, the recipient of the person's data) is
	 * written in one transaction, staged for the audit chain; a client's grant writes nothing on the request thread
	 * and hands its entry to the audit appender
	 */
	TokenResponseHandler(ApplicationEventPublisher events, SubjectResolver subjects,
			org.springframework.transaction.support.TransactionTemplate transaction) {
		this.events = events;
		this.subjects = subjects;
		this.transaction = transaction;
		DefaultOAuth2AccessTokenResponseMapConverter defaults = new DefaultOAuth2AccessTokenResponseMapConverter();
		this.converter.setAccessTokenResponseParametersConverter(response -> {
			Map<String, Object> parameters = defaults.convert(response);
			Instant expiresAt = response.getAccessToken().getExpiresAt();
			if (expiresAt != null) {
				long millis = Duration.between(Instant.now(), expiresAt).toMillis();
				parameters.put(OAuth2ParameterNames.EXPIRES_IN, Math.max(0, (millis + 999) / 1000));
			}
			return parameters;
		});
	}

	@Override
	public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
			Authentication authentication) throws IOException {
		var result = (OAuth2AccessTokenAuthenticationToken) authentication;
		OAuth2AccessToken accessToken = result.getAccessToken();
		OAuth2AccessTokenResponse.Builder builder = OAuth2AccessTokenResponse.withToken(accessToken.getTokenValue())
			.tokenType(accessToken.getTokenType())
			.scopes(accessToken.getScopes());
		if (accessToken.getIssuedAt() != null && accessToken.getExpiresAt() != null) {
			builder.expiresIn(Duration.between(accessToken.getIssuedAt(), accessToken.getExpiresAt()).toSeconds());
		}
		if (result.getRefreshToken() != null) {
			builder.refreshToken(result.getRefreshToken().getTokenValue());
		}
		if (!result.getAdditionalParameters().isEmpty()) {
			builder.additionalParameters(result.getAdditionalParameters());
		}
		try {
			TokenIssued issued = issued(request, result); // the audit entry, committed before the token leaves
			if (AuthorizationGrantType.CLIENT_CREDENTIALS.getValue().equals(issued.grantType())) {
				this.events.publishEvent(issued);
			}
			else {
				this.transaction.executeWithoutResult(status -> this.events.publishEvent(issued));
			}
		}
		catch (RuntimeException ex) {
			log.warn("Token for client {} withheld: its issuance could not be recorded ({})",
					result.getRegisteredClient().getClientId(), ex.toString());
			response.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
			response.setHeader("Cache-Control", "no-store");
			response.setContentType("application/json");
			response.getWriter()
				.write("{\"error\":\"server_error\",\"error_description\":\"The token could not be issued; try again\"}");
			return;
		}
		response.setHeader("Cache-Control", "no-store");
		response.setHeader("Pragma", "no-cache");
		this.converter.write(builder.build(), null, new ServletServerHttpResponse(response));
	}

	private TokenIssued issued(HttpServletRequest request, OAuth2AccessTokenAuthenticationToken result) {
		OAuth2AccessToken accessToken = result.getAccessToken();
		String subject = null;
		String jti = null;
		try {
			// our own token, signed a moment ago: only read, not verified
			JWTClaimsSet claims = SignedJWT.parse(accessToken.getTokenValue()).getJWTClaimsSet();
			subject = claims.getSubject();
			jti = claims.getJWTID();
		}
		catch (ParseException | IllegalArgumentException notAJwt) {
			// an opaque access token: its subject and id are not ours to read here
		}
		String clientId = result.getRegisteredClient().getClientId();
		String grantType = request.getParameter(OAuth2ParameterNames.GRANT_TYPE);
		if (subject != null && !AuthorizationGrantType.CLIENT_CREDENTIALS.getValue().equals(grantType)) {
			subject = this.subjects.userFor(subject, clientId); // the event names the account, whatever the client sees
		}
		return new TokenIssued(clientId, subject, grantType, jti, accessToken.getExpiresAt(),
				accessToken.getScopes(), result.getRefreshToken() != null,
				result.getAdditionalParameters().containsKey(OidcParameterNames.ID_TOKEN));
	}

}
