package dev.tongxing.server.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.testing.GatewayTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** {@code POST /admin/api/import}: the operator API's import, behind the operators' authentication. */
class ImportAdminApiTest extends GatewayTest {

	@Autowired
	AccountService accounts;

	HttpResponse<String> post(String query, String body, String user, String password) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.issuer + "/admin/api/import" + query))
			.header("Content-Type", "application/x-ndjson")
			.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
		if (user != null) {
			request.header("Authorization", "Basic "
					+ Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
		}
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void operatorsImportOverTheApiAndADryRunWritesNothing() throws Exception {
		String run = UUID.randomUUID().toString().substring(0, 8);
		String body = "{\"id\":\"api-" + run + "\",\"wechat\":[{\"appid\":\"wx0000000000000002\",\"openid\":\"api" + run
				+ "\"}],\"subs\":{\"live-web\":\"api-sub-" + run + "\"}}\n{\"id\":\"api-" + run + "-bad\",\"phones\":[]}\n";
		assertThat(post("", body, null, null).statusCode()).isEqualTo(401);
		assertThat(post("", body, "admin", "wrong").statusCode()).isEqualTo(401);

		// a machine's token needs tongxing.admin.write: the read scope is refused
		String readToken = new dev.tongxing.server.testing.OAuthClient(this.issuer)
			.post("/oauth2/token", "ops-reader", "ops-reader-secret",
					Map.of("grant_type", "client_credentials", "scope", "tongxing.admin.read"))
			.string("access_token");
		HttpResponse<String> withReadToken = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(this.issuer + "/admin/api/import"))
				.header("Authorization", "Bearer " + readToken)
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(withReadToken.statusCode()).isEqualTo(403);

		HttpResponse<String> dry = post("?dry-run=true", body, "admin", "admin");
		assertThat(dry.statusCode()).as(dry.body()).isEqualTo(200);
		Map<String, Object> dryReport = JSONObjectUtils.parse(dry.body());
		assertThat(dryReport).containsEntry("dry_run", true).containsEntry("created", 1L).containsEntry("invalid", 1L);
		assertThat((List<?>) dryReport.get("problems")).singleElement()
			.satisfies(p -> {
				@SuppressWarnings("unchecked")
				Map<String, Object> problem = (Map<String, Object>) p;
				assertThat(problem).containsEntry("line", 2L).containsEntry("kind", "invalid");
			});
		IdentityKey key = new IdentityKey("wechat-open", "wx0000000000000002:api" + run);
		assertThat(this.accounts.userFor(key)).isEmpty();

		HttpResponse<String> real = post("", body, "admin", "admin");
		assertThat(real.statusCode()).as(real.body()).isEqualTo(200);
		assertThat(JSONObjectUtils.parse(real.body())).containsEntry("created", 1L).containsEntry("dry_run", false);
		assertThat(this.accounts.userFor(key)).isPresent();
		assertThat(JSONObjectUtils.parse(post("", body, "admin", "admin").body())).containsEntry("unchanged", 1L)
			.containsEntry("created", 0L);

		HttpResponse<String> empty = post("", "", "admin", "admin");
		assertThat(empty.statusCode()).isEqualTo(400);
	}

}
