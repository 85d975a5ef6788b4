package dev.tongxing.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.account.ExternalIdentity.Profile;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.OAuthClient;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Finding a person by phone or WeChat key through the lookup hashes; each look-up audited with its reason. */
class PeopleAdminApiTest extends GatewayTest {

	static final String BASIC = "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes());

	@Autowired
	AccountService accounts;

	@Autowired
	JdbcClient jdbc;

	HttpResponse<String> get(String query, String authorization) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(this.issuer + "/admin/api/people?" + query))
				.header("Authorization", authorization)
				.build(), HttpResponse.BodyHandlers.ofString());
	}

	static String enc(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	long lookups(String account) {
		return this.jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE type = 'personal-data.read' AND subject = :s"
				+ " AND details LIKE '%operator-lookup%' AND details LIKE '%complaint 42%'")
			.param("s", account)
			.query(Long.class)
			.single();
	}

	@Test
	void findsByPhoneAndWechatKeysAndAuditsEachLookupWithItsReason() throws Exception {
		String phone = "+86137" + String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000));
		String union = "u" + UUID.randomUUID();
		String id = this.accounts.signIn(new ExternalIdentity("wechat",
				List.of(new IdentityKey("wechat-union", union), new IdentityKey("wechat-open", "wxAPP:o-" + union)),
				new Profile("小明", null, phone))).id();

		HttpResponse<String> byPhone = get("phone=" + enc(phone) + "&reason=" + enc("complaint 42"), BASIC);
		assertThat(byPhone.statusCode()).isEqualTo(200);
		assertThat(byPhone.body()).contains("\"account_id\":\"" + id + "\"").contains(phone).contains("\"masked\":false");
		assertThat(get("unionid=" + enc(union) + "&reason=" + enc("complaint 42"), BASIC).body()).contains(id);
		assertThat(get("appid=wxAPP&openid=" + enc("o-" + union) + "&reason=" + enc("complaint 42"), BASIC).body())
			.contains(id);
		assertThat(get("account=" + id + "&reason=" + enc("complaint 42"), BASIC).body()).contains(id);
		assertThat(lookups(id)).isEqualTo(4);

		// a read-only caller sees the keys masked, and its look-up is audited too
		String reader = "Bearer " + new OAuthClient(this.issuer)
			.post("/oauth2/token", "ops-reader", "ops-reader-secret",
					Map.of("grant_type", "client_credentials", "scope", "tongxing.admin.read"))
			.string("access_token");
		HttpResponse<String> masked = get("phone=" + enc(phone) + "&reason=" + enc("complaint 42"), reader);
		assertThat(masked.statusCode()).isEqualTo(200);
		assertThat(masked.body()).contains(id).doesNotContain(phone).doesNotContain(union).contains("\"masked\":true");
		assertThat(lookups(id)).isEqualTo(5);
	}

	@Test
	void noReasonNoAnswerAndUnknownPeopleAreNotFound() throws Exception {
		assertThat(get("phone=" + enc("+8613000000001"), BASIC).statusCode()).isEqualTo(400);
		assertThat(get("phone=13800138000&reason=x", BASIC).statusCode()).isEqualTo(400);
		assertThat(get("reason=x", BASIC).statusCode()).isEqualTo(400);
		assertThat(get("phone=" + enc("+8613000000001") + "&reason=x", BASIC).statusCode()).isEqualTo(404);
		assertThat(get("phone=" + enc("+8613000000001") + "&reason=x", "Bearer nothing").statusCode()).isEqualTo(401);
	}

}
