package dev.tongxing.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.OAuthClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Granting operator roles through the JSON API: admins only, validated, audited with the granting caller. */
class OperatorAdminApiTest extends GatewayTest {

	static final String BASIC = "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes());

	@Autowired
	AccountService accounts;

	@Autowired
	Operators operators;

	HttpResponse<String> call(String method, String path, String body, String authorization) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(this.issuer + path))
				.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
				.header("Content-Type", "application/json")
				.header("Authorization", authorization)
				.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void anAdminGrantsAndTakesAwayRoles() throws Exception {
		String id = this.accounts.signIn(new ExternalIdentity("test", "op-" + UUID.randomUUID(), null)).id();
		HttpResponse<String> granted = call("PUT", "/admin/api/operators/" + id, "{\"roles\":[\"support\",\"viewer\"]}", BASIC);
		assertThat(granted.statusCode()).isEqualTo(200);
		assertThat(this.operators.roles(id)).containsExactlyInAnyOrder(OperatorRole.VIEWER, OperatorRole.SUPPORT);
		assertThat(this.operators.list()).anySatisfy(o -> {
			assertThat(o.accountId()).isEqualTo(id);
			assertThat(o.grantedBy()).isEqualTo("admin:admin");
		});
		assertThat(call("GET", "/admin/api/operators", null, BASIC).body()).contains(id);

		assertThat(call("PUT", "/admin/api/operators/" + id, "{\"roles\":[\"root\"]}", BASIC).statusCode()).isEqualTo(400);
		assertThat(call("PUT", "/admin/api/operators/" + id, "{\"roles\":\"admin\"}", BASIC).statusCode()).isEqualTo(400);
		assertThat(call("PUT", "/admin/api/operators/nobody", "{\"roles\":[\"admin\"]}", BASIC).statusCode()).isEqualTo(404);

		// a read-only token lists but cannot grant
		String reader = "Bearer " + new OAuthClient(this.issuer)
			.post("/oauth2/token", "ops-reader", "ops-reader-secret",
					Map.of("grant_type", "client_credentials", "scope", "tongxing.admin.read"))
			.string("access_token");
		assertThat(call("GET", "/admin/api/operators", null, reader).statusCode()).isEqualTo(200);
		assertThat(call("PUT", "/admin/api/operators/" + id, "{\"roles\":[\"admin\"]}", reader).statusCode()).isEqualTo(403);
		assertThat(this.operators.roles(id)).doesNotContain(OperatorRole.ADMIN);

		assertThat(call("PUT", "/admin/api/operators/" + id, "{\"roles\":[]}", BASIC).statusCode()).isEqualTo(200);
		assertThat(this.operators.roles(id)).isEmpty();
	}

}
