package dev.tongxing.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** {@code /admin/api/**} for machines: client_credentials tokens with tongxing.admin.read / .write, beside Basic. */
class AdminApiTokensTest extends GatewayTest {

	@Autowired
	JdbcClient jdbc;

	String token(String client, String secret, String scope) {
		Reply reply = new OAuthClient(this.issuer).post("/oauth2/token", client, secret,
				Map.of("grant_type", "client_credentials", "scope", scope));
		assertThat(reply.status()).isEqualTo(200);
		return reply.string("access_token");
	}

	HttpResponse<String> call(String method, String path, String authorization) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.issuer + path))
			.method(method, HttpRequest.BodyPublishers.noBody());
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void readScopeReadsAndWriteScopeChanges() throws Exception {
		String reader = "Bearer " + token("ops-reader", "ops-reader-secret", "tongxing.admin.read");
		String writer = "Bearer " + token("ops-writer", "ops-writer-secret", "tongxing.admin.write");
		assertThat(call("GET", "/admin/api/keys", reader).statusCode()).isEqualTo(200);
		assertThat(call("POST", "/admin/api/keys/rotate", reader).statusCode()).isEqualTo(403);
		assertThat(call("GET", "/admin/api/keys", writer).statusCode()).isEqualTo(200);
		assertThat(call("POST", "/admin/api/keys/rotate", writer).statusCode()).isEqualTo(200);
		assertThat(this.jdbc.sql("SELECT actor FROM audit_entry WHERE type = 'admin.request' ORDER BY seq DESC")
			.query(String.class)
			.list()).first().isEqualTo("admin:client:ops-writer");
	}

	@Test
	void otherTokensReachNothing() throws Exception {
		// a client token without the admin scopes
		String backend = "Bearer " + token("backend", "backend-secret", "internal.read");
		assertThat(call("GET", "/admin/api/keys", backend).statusCode()).isEqualTo(403);
		assertThat(call("POST", "/admin/api/keys/rotate", backend).statusCode()).isEqualTo(403);
		assertThat(call("GET", "/admin/api/keys", "Bearer not-a-token").statusCode()).isEqualTo(401);
		// the API token is for the API, not for the operator pages
		String reader = "Bearer " + token("ops-reader", "ops-reader-secret", "tongxing.admin.read");
		assertThat(call("GET", "/admin/complaints", reader).statusCode()).isEqualTo(403);
		// Basic keeps working
		String basic = "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes());
		assertThat(call("GET", "/admin/api/keys", basic).statusCode()).isEqualTo(200);
		assertThat(call("GET", "/admin/api/keys", null).statusCode()).isEqualTo(401);
	}

}
