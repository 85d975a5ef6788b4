package dev.tongxing.server.login;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tongxing.server.login.spi.ConnectorSource;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.login.spi.IdentityNamespaces;
import dev.tongxing.server.login.spi.NativeConnector;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;

/**
 * Coverage-guided fuzzing (Jazzer) of a token-exchange request as it reaches the token endpoint (the form body:
 * {@code grant_type}, {@code subject_token}, {@code subject_token_type}, the connector's and the gates' parameters):
 * it is not ours (null), a parsed request whose scopes are RFC 6749 scope tokens, {@code invalid_request} or
 * {@code invalid_scope} — never another exception. (The fuzzer found {@code scope=%00} parsed as one empty scope.)
 */
class TokenExchangeRequestFuzzTest {

	static final String TYPE = "urn:tongxing:token-type:fuzz-code";

	/** A native connector with WeChat's shape of parameters; the converter asks it nothing else. */
	static final NativeConnector CONNECTOR = new NativeConnector() {
		@Override
		public String id() {
			return "fuzz";
		}

		@Override
		public Labels labels() {
			return new Labels("login.fuzz", "account.fuzz", "fuzz", "/login/fuzz", 1);
		}

		@Override
		public IdentityNamespaces identities() {
			return null;
		}

		@Override
		public String subjectTokenType() {
			return TYPE;
		}

		@Override
		public Map<String, Boolean> parameters() {
			return Map.of("appid", true, "phone_code", false);
		}

		@Override
		public String app(Map<String, String> parameters) {
			return parameters.get("appid");
		}

		@Override
		public ExternalIdentity identify(String subjectToken, Map<String, String> parameters) {
			throw new AssertionError("parsing never calls the upstream");
		}

		@Override
		public String displayName() {
			return "Fuzz";
		}

		@Override
		public List<String> dataCategories() {
			return List.of();
		}
	};

	static final TokenExchangeGrant GRANT = new TokenExchangeGrant(
			new Connectors(new StaticListableBeanFactory(Map.of("fuzz", (ConnectorSource) CONNECTOR))
				.getBeanProvider(ConnectorSource.class)),
			null, null, null, List.of());

	@FuzzTest(maxDuration = "10s")
	void anyFormIsNotOursParsedOrInvalidRequest(byte[] body) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/oauth2/token");
		request.setContentType("application/x-www-form-urlencoded");
		for (String field : new String(body, StandardCharsets.UTF_8).split("&")) {
			int equals = field.indexOf('=');
			try {
				request.addParameter(URLDecoder.decode(equals < 0 ? field : field.substring(0, equals), StandardCharsets.UTF_8),
						equals < 0 ? "" : URLDecoder.decode(field.substring(equals + 1), StandardCharsets.UTF_8));
			}
			catch (IllegalArgumentException badEncoding) {
				// Tomcat refuses such a body before any converter sees it (400, UnreadableRequests)
			}
		}
		Authentication parsed;
		try {
			parsed = GRANT.converter().convert(request);
		}
		catch (OAuth2AuthenticationException refused) {
			assertTrue(OAuth2ErrorCodes.INVALID_REQUEST.equals(refused.getError().getErrorCode())
					|| OAuth2ErrorCodes.INVALID_SCOPE.equals(refused.getError().getErrorCode()), refused.getError().toString());
			return;
		}
		if (parsed != null) {
			TokenExchangeGrant.Request exchange = (TokenExchangeGrant.Request) parsed;
			assertTrue(exchange.subjectToken != null && !exchange.subjectToken.isBlank());
			assertTrue(exchange.parameters.containsKey("appid"));
			assertTrue(exchange.scopes.stream().allMatch(s -> s.matches("[\\x21\\x23-\\x5B\\x5D-\\x7E]+")),
					"not a scope token: " + exchange.scopes);
		}
	}

}
