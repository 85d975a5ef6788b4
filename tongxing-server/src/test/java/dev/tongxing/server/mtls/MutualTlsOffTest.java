package dev.tongxing.server.mtls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.GatewayTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Without {@code tongxing.mtls.*} (the default) discovery offers nothing of mutual TLS, and no header counts. */
class MutualTlsOffTest extends GatewayTest {

	@Test
	void discoveryOffersNoCertificateAuthenticationOrBinding() throws Exception {
		for (String document : new String[] { "/.well-known/openid-configuration", "/.well-known/oauth-authorization-server" }) {
			JsonNode discovery = JsonMapper.builder().build().readTree(HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create(this.issuer + document)).build(), HttpResponse.BodyHandlers.ofString())
				.body());
			assertThat(discovery.has("tls_client_certificate_bound_access_tokens")).as(document).isFalse();
			assertThat(discovery.has("mtls_endpoint_aliases")).as(document).isFalse();
			assertThat(discovery.path("token_endpoint_auth_methods_supported").toString()).as(document)
				.doesNotContain("tls_client_auth");
		}
	}

}
