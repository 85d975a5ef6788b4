package dev.tongxing.server.connector.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OidcIdentityMapperTest {

	static final OidcUpstreamDefinition CORP = new OidcUpstreamDefinition("corp", "Corp", null, null,
			"https://sso.example.com", "tongxing", null, List.of("openid"), Duration.ofSeconds(5), true);

	@Test
	void keysThePersonByIssuerAndSubject() {
		ExternalIdentity identity = OidcIdentityMapper
			.map(CORP, Map.of("sub", "248289761001", "name", "Jane Doe", "email", "jane@example.com"), Map.of())
			.orElseThrow();
		assertThat(identity.method()).isEqualTo("oidc:corp");
		assertThat(identity.keys()).containsExactly(new IdentityKey("oidc:corp", "https://sso.example.com|248289761001"));
		assertThat(identity.profile().displayName()).isEqualTo("Jane Doe");
		assertThat(identity.profile().verifiedPhone()).isNull();
	}

	@Test
	void takesThePhoneOnlyWhenVerifiedAndUserinfoForProfile() {
		Map<String, Object> idToken = Map.of("sub", "s1", "phone_number", "+86 138-0013-8000");
		assertThat(OidcIdentityMapper.map(CORP, idToken, Map.of()).orElseThrow().profile().verifiedPhone()).isNull();
		ExternalIdentity verified = OidcIdentityMapper
			.map(CORP, idToken, Map.of("sub", "s1", "phone_number_verified", true, "picture", "https://img.example/p.png",
					"preferred_username", "jd"))
			.orElseThrow();
		assertThat(verified.profile().verifiedPhone()).isEqualTo("+8613800138000");
		assertThat(verified.profile().pictureUrl()).isEqualTo("https://img.example/p.png");
		assertThat(verified.profile().displayName()).isEqualTo("jd");
		assertThat(OidcIdentityMapper.map(CORP, Map.of("sub", "s1", "phone_number", "13800138000",
				"phone_number_verified", true), Map.of()).orElseThrow().profile().verifiedPhone())
			.as("not E.164")
			.isNull();
	}

	@Test
	void refusesMissingOrOversizedSubjects() {
		assertThat(OidcIdentityMapper.map(CORP, Map.of(), Map.of())).isEmpty();
		assertThat(OidcIdentityMapper.map(CORP, Map.of("sub", "x".repeat(200)), Map.of())).isEmpty();
	}

}
