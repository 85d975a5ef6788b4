package dev.tongxing.server.oidc.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The start-up rules for clients that authenticate with a TLS certificate (RFC 8705). */
class CertificateClientValidationTest {

	static ClientDefinition client(String secret, String method, String subjectDn, String jwksUri, boolean bound) {
		return new ClientDefinition("app", secret, null, List.of("https://app.example.com/cb"), List.of(),
				List.of("openid"), List.of("authorization_code", "client_credentials"), ClientTier.C, false, List.of(),
				null, "cn", null, null, false, "RS256", "RS256", null, true, null, method, subjectDn, jwksUri, bound);
	}

	static List<String> problems(ClientDefinition d) {
		List<String> problems = new ArrayList<>();
		ClientImporter.validate("tongxing.clients[0]", d, problems);
		return problems;
	}

	@Test
	void aCertificateClientIsConfidentialWithoutASecret() {
		ClientDefinition pki = client(null, "tls_client_auth", "CN=app, O=Example", null, true);
		assertThat(problems(pki)).isEmpty(); // client_credentials is fine: it is no public client
		assertThat(pki.isPublic()).isFalse();
		assertThat(problems(client(null, "self_signed_tls_client_auth", null, "https://app.example.com/jwks.json", false)))
			.isEmpty();
	}

	@Test
	void eachMethodNeedsItsOwnSettingAndNoOther() {
		assertThat(problems(client(null, "tls_client_auth", null, null, false))).singleElement().asString()
			.contains("tls-client-auth-subject-dn");
		assertThat(problems(client(null, "tls_client_auth", "not a dn", null, false))).singleElement().asString()
			.contains("is not a distinguished name");
		assertThat(problems(client(null, "self_signed_tls_client_auth", null, null, false))).singleElement().asString()
			.contains("needs jwks-uri");
		assertThat(problems(client(null, "self_signed_tls_client_auth", null, "http://jwks.example.com/k", false)))
			.singleElement().asString().contains("jwks-uri");
		assertThat(problems(client(null, "tls_client_auth", "CN=app", "https://app.example.com/jwks.json", false)))
			.singleElement().asString().contains("jwks-uri is only for");
		assertThat(problems(client(null, "self_signed_tls_client_auth", "CN=app", "https://app.example.com/jwks.json",
				false))).singleElement().asString().contains("tls-client-auth-subject-dn is only for");
	}

	@Test
	void certificateOrSecretNotBothAndBindingNeedsACertificate() {
		assertThat(problems(client("s3cret", "tls_client_auth", "CN=app", null, false))).singleElement().asString()
			.contains("has no client-secret");
		assertThat(problems(client("s3cret", null, null, null, true))).singleElement().asString()
			.contains("tls-client-certificate-bound-access-tokens needs");
		assertThat(problems(client(null, "client_secret_jwt", null, null, false))).singleElement().asString()
			.contains("must be tls_client_auth or self_signed_tls_client_auth");
	}

	@Test
	void aMethodTheDeploymentDoesNotServeIsRefused() {
		ClientDefinition pki = client(null, "tls_client_auth", "CN=app", null, false);
		assertThat(ClientImporter.unservedMethod("tongxing.clients[0]", pki, Set.of())).get().asString()
			.contains("tongxing.mtls.port").contains("tongxing.mtls.client-ca");
		assertThat(ClientImporter.unservedMethod("tongxing.clients[0]", pki, Set.of("self_signed_tls_client_auth")))
			.isPresent();
		assertThat(ClientImporter.unservedMethod("tongxing.clients[0]", pki,
				Set.of("tls_client_auth", "self_signed_tls_client_auth"))).isEmpty();
		assertThat(ClientImporter.unservedMethod("tongxing.clients[0]", client("s", null, null, null, false), Set.of()))
			.isEmpty();
	}

	@Test
	void theSubjectIsStoredInTheFormCertificatesAreComparedIn() {
		assertThat(ClientImporter.subjectDn("CN=mtls-pki, O=Tongxing Test")).isEqualTo("CN=mtls-pki,O=Tongxing Test");
	}

}
