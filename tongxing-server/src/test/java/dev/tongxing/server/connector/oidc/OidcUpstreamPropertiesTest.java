package dev.tongxing.server.connector.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Start-up checks of {@code tongxing.oidc-upstreams}: every mistake named, with where it is. */
class OidcUpstreamPropertiesTest {

	static OidcUpstreamDefinition upstream(String id, String issuer) {
		return new OidcUpstreamDefinition(id, "Corporate SSO", null, null, issuer, "tongxing", "secret",
				List.of("openid", "profile"), Duration.ofSeconds(5), true);
	}

	@Test
	void bindsTheDocumentedKeysWithDefaults() {
		var source = new MapConfigurationPropertySource(Map.of("tongxing.oidc-upstreams[0].id", "corp",
				"tongxing.oidc-upstreams[0].display-name-zh", "企业登录", "tongxing.oidc-upstreams[0].display-name-en",
				"Corporate SSO", "tongxing.oidc-upstreams[0].issuer", "https://sso.example.com",
				"tongxing.oidc-upstreams[0].client-id", "tongxing"));
		OidcUpstreamProperties properties = new Binder(source).bind("tongxing", OidcUpstreamProperties.class).get();
		OidcUpstreamDefinition corp = properties.oidcUpstreams().get(0);
		assertThat(corp.method()).isEqualTo("oidc:corp");
		assertThat(corp.isPublicClient()).isTrue();
		assertThat(corp.scopes()).containsExactly("openid", "profile");
		assertThat(corp.timeout()).isEqualTo(Duration.ofSeconds(5));
		assertThat(corp.userinfo()).isTrue();
		assertThat(corp.displayName(Locale.SIMPLIFIED_CHINESE)).isEqualTo("企业登录");
		assertThat(corp.displayName(Locale.ENGLISH)).isEqualTo("Corporate SSO");
	}

	@Test
	void acceptsHttpsAndLoopbackHttp() {
		new OidcUpstreamProperties(List.of(upstream("a", "https://sso.example.com"),
				upstream("b", "http://127.0.0.1:9000"), upstream("c", "http://[::1]:9000/realms/x")));
	}

	@Test
	void listsEveryProblemAtOnce() {
		OidcUpstreamDefinition bad = new OidcUpstreamDefinition("Corp SSO", null, null, null, "http://sso.example.com",
				" ", null, List.of("profile"), Duration.ZERO, true);
		assertThatIllegalArgumentException().isThrownBy(() -> new OidcUpstreamProperties(List.of(bad)))
			.withMessageContaining("tongxing.oidc-upstreams[0]: id 'Corp SSO'")
			.withMessageContaining("display-name")
			.withMessageContaining("must use https")
			.withMessageContaining("client-id is required")
			.withMessageContaining("'openid'")
			.withMessageContaining("timeout");
	}

	@Test
	void refusesDuplicateIdsAndOddIssuers() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new OidcUpstreamProperties(
					List.of(upstream("corp", "https://a.example.com"), upstream("corp", "https://b.example.com"))))
			.withMessageContaining("tongxing.oidc-upstreams[1]: id 'corp' is used by another upstream");
		for (String issuer : new String[] { "sso.example.com", "https://sso.example.com?tenant=1",
				"http://localhost:8080", "ftp://sso.example.com", "https://x.example/" + "a".repeat(100) }) {
			assertThatIllegalArgumentException().as(issuer)
				.isThrownBy(() -> new OidcUpstreamProperties(List.of(upstream("corp", issuer))))
				.withMessageContaining("issuer");
		}
	}

}
