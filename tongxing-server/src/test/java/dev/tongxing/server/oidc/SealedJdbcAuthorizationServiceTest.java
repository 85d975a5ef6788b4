package dev.tongxing.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.crypto.JoseDataCipher;
import dev.tongxing.server.testing.GatewayTest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/** The authorization rows: ID-token claims sealed, the ID token found by its keyed hash, old clear rows still read. */
class SealedJdbcAuthorizationServiceTest extends GatewayTest {

	static final OAuth2TokenType ID_TOKEN = new OAuth2TokenType(OidcParameterNames.ID_TOKEN);

	@Autowired
	JdbcOperations jdbcOperations;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	RegisteredClientRepository clients;

	@Autowired
	JoseDataCipher cipher;

	OAuth2Authorization authorization(String phone) {
		Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		String idToken = "eyJhbGciOiJSUzI1NiJ9." + UUID.randomUUID() + ".sig";
		return OAuth2Authorization.withRegisteredClient(this.clients.findByClientId("live-web"))
			.id(UUID.randomUUID().toString())
			.principalName("user-" + UUID.randomUUID())
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.attribute("remote_note", "from " + phone)
			.token(new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, "at-" + UUID.randomUUID(), now,
					now.plus(Duration.ofHours(1))))
			.token(new OidcIdToken(idToken, now, now.plus(Duration.ofHours(1)),
					Map.of("sub", "s", "phone_number", phone, "name", "小明")),
					// a HashMap, as SAS stores claims (its JSON type checks allow no immutable maps)
					metadata -> metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME,
							new java.util.HashMap<>(Map.of("sub", "s", "phone_number", phone, "name", "小明"))))
			.build();
	}

	String row(String id) {
		return this.jdbc.sql("SELECT * FROM oauth2_authorization WHERE id = :id")
			.param("id", id)
			.query()
			.singleRow()
			.toString();
	}

	@Test
	void sealsTheColumnsAndFindsTheIdTokenByItsHash() {
		SealedJdbcAuthorizationService sealed = new SealedJdbcAuthorizationService(this.jdbcOperations, this.clients,
				this.cipher);
		OAuth2Authorization saved = authorization("+8613711112222");
		sealed.save(saved);

		String idToken = saved.getToken(OidcIdToken.class).getToken().getTokenValue();
		assertThat(row(saved.getId())).doesNotContain("13711112222").doesNotContain("小明").doesNotContain(idToken);

		for (OAuth2Authorization found : new OAuth2Authorization[] { sealed.findById(saved.getId()),
				sealed.findByToken(idToken, ID_TOKEN), sealed.findByToken(idToken, null) }) {
			assertThat(found).isNotNull();
			assertThat(found.getToken(OidcIdToken.class).getToken().getTokenValue()).isEqualTo(idToken);
			assertThat(found.getToken(OidcIdToken.class).getToken().getPhoneNumber()).isEqualTo("+8613711112222");
			assertThat((String) found.getAttribute("remote_note")).isEqualTo("from +8613711112222");
		}
		String accessToken = saved.getAccessToken().getToken().getTokenValue();
		assertThat(sealed.findByToken(accessToken, OAuth2TokenType.ACCESS_TOKEN)).isNotNull();
		assertThat(sealed.findByToken("eyJhbGciOiJSUzI1NiJ9.unknown.sig", ID_TOKEN)).isNull();
	}

	@Test
	void rowsWrittenInClearBeforeAreReadAndSealedAtTheirNextSave() {
		OAuth2Authorization legacy = authorization("+8613722223333");
		new JdbcOAuth2AuthorizationService(this.jdbcOperations, this.clients).save(legacy);
		assertThat(row(legacy.getId())).as("the way SAS writes it").contains("13722223333");

		SealedJdbcAuthorizationService sealed = new SealedJdbcAuthorizationService(this.jdbcOperations, this.clients,
				this.cipher);
		String idToken = legacy.getToken(OidcIdToken.class).getToken().getTokenValue();
		OAuth2Authorization read = sealed.findByToken(idToken, ID_TOKEN);
		assertThat(read).isNotNull();
		assertThat(read.getToken(OidcIdToken.class).getToken().getPhoneNumber()).isEqualTo("+8613722223333");

		sealed.save(read);
		assertThat(row(legacy.getId())).doesNotContain("13722223333");
		assertThat(sealed.findByToken(idToken, ID_TOKEN).getToken(OidcIdToken.class).getToken().getPhoneNumber())
			.isEqualTo("+8613722223333");
	}

}
