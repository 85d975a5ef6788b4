package dev.tongxing.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.login.LoginAttempted;
import dev.tongxing.server.login.LoginFailureCause;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Pkce;
import dev.tongxing.server.testing.OAuthClient.Reply;
import dev.tongxing.server.testing.TestBrowser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/** What the running gateway records, and the operator's verify and export endpoints. */
class AuditEventsTest extends GatewayTest {

	static final String CALLBACK = "http://127.0.0.1:3000/callback";

	static final JsonMapper JSON = JsonMapper.builder().build();

	record Row(long seq, String type, String actor, String subject, String clientId, String details) {
	}

	@Autowired
	JdbcClient jdbc;

	@Autowired
	ApplicationEventPublisher events;

	@Autowired
	AuditCheckpoints checkpoints;

	@Autowired
	AccountService accounts;

	List<Row> since(long seq) {
		return this.jdbc.sql("SELECT seq, type, actor, subject, client_id, details FROM audit_entry WHERE seq > ? ORDER BY seq")
			.param(seq)
			.query((rs, i) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
					rs.getString(6)))
			.list();
	}

	long head() {
		return this.jdbc.sql("SELECT seq FROM audit_chain_head").query(Long.class).single();
	}

	@Test
	void aFirstSignInRecordsTheAccountTheLoginAndTheTokens() {
		long before = head();
		OAuthClient client = new OAuthClient(this.issuer);
		Pkce pkce = Pkce.create();
		URI redirect = browser().authorize(
				client.authorizeUri(OAuthClient.authorizeParams("live-web", CALLBACK, "openid profile", pkce)),
				"audit-carol", CALLBACK);
		Reply tokens = client.post("/oauth2/token", "live-web", "s3cret",
				Map.of("grant_type", "authorization_code", "code", TestBrowser.query(redirect).get("code"), "redirect_uri",
						CALLBACK, "code_verifier", pkce.verifier()));
		assertThat(tokens.status()).isEqualTo(200);

		List<Row> rows = since(before);
		assertThat(rows).extracting(Row::type)
			.containsSubsequence(AuditTypes.ACCOUNT_CREATED, AuditTypes.ACCOUNT_LINKED, AuditTypes.LOGIN_SUCCEEDED,
					AuditTypes.TOKEN_ISSUED);
		String userId = rows.stream().filter(r -> r.type().equals(AuditTypes.ACCOUNT_CREATED)).findFirst().orElseThrow()
			.subject();
		Row login = rows.stream().filter(r -> r.type().equals(AuditTypes.LOGIN_SUCCEEDED)).findFirst().orElseThrow();
		assertThat(login.subject()).isEqualTo(userId);
		assertThat(login.details()).contains("\"method\":\"dev\"").contains("\"network\":\"127.0.0.0/24\"");
		Row issued = rows.stream().filter(r -> r.type().equals(AuditTypes.TOKEN_ISSUED)).findFirst().orElseThrow();
		assertThat(issued.subject()).isEqualTo(userId);
		assertThat(issued.clientId()).isEqualTo("live-web");
		assertThat(issued.details()).contains("\"grant_type\":\"authorization_code\"", "\"jti\":\"", "\"expires_at\":\"",
				"\"id_token\":true");
		// never a token value, nor the person's name
		for (Row row : rows) {
			assertThat(row.details()).doesNotContain(tokens.string("access_token"))
				.doesNotContain(tokens.string("id_token"))
				.doesNotContain("audit-carol");
		}
	}

	@Test
	void anAccountChangeRolledBackLeavesNoEntry() {
		OAuthClient client = new OAuthClient(this.issuer);
		browser().authorize(client.authorizeUri(OAuthClient.authorizeParams("live-web", CALLBACK, "openid",
				Pkce.create())), "audit-dave", CALLBACK);
		String userId = since(0).reversed().stream()
			.filter(r -> r.type().equals(AuditTypes.ACCOUNT_CREATED))
			.findFirst()
			.orElseThrow()
			.subject();
		List<IdentityKey> all = this.accounts.identities(userId)
			.stream()
			.map(i -> new IdentityKey(i.provider(), i.key()))
			.toList();
		long before = head();
		assertThatThrownBy(() -> this.accounts.unlink(userId, all))
			.isInstanceOf(AccountService.LastLoginMethodException.class);
		assertThat(since(before)).isEmpty();
	}

	@Test
	void clientCredentialsTokensAreRecordedForTheClient() {
		long before = head();
		Reply tokens = new OAuthClient(this.issuer).post("/oauth2/token", "backend", "backend-secret",
				Map.of("grant_type", "client_credentials", "scope", "internal.read"));
		assertThat(tokens.status()).isEqualTo(200);
		assertThat(since(before)).singleElement().satisfies(row -> {
			assertThat(row.type()).isEqualTo(AuditTypes.TOKEN_ISSUED);
			assertThat(row.actor()).isEqualTo("client:backend");
			assertThat(row.subject()).isNull();
			assertThat(row.details()).contains("\"grant_type\":\"client_credentials\"", "\"scopes\":[\"internal.read\"]");
		});
	}

	@Test
	void aFailedLoginIsRecordedWithTheNetworkNotTheAddress() {
		long before = head();
		this.events.publishEvent(LoginAttempted.failed("phone", null, LoginFailureCause.values()[0], "HTTP 502",
				"203.0.113.77"));
		assertThat(since(before)).singleElement().satisfies(row -> {
			assertThat(row.type()).isEqualTo(AuditTypes.LOGIN_FAILED);
			assertThat(row.actor()).isNull();
			assertThat(row.details()).contains("\"network\":\"203.0.113.0/24\"", "\"upstream_error\":\"HTTP 502\"")
				.doesNotContain("203.0.113.77");
		});
		assertThat(dev.tongxing.server.login.LoginAuditing.network("2001:db8:1234:5678::1")).isEqualTo("2001:db8:1234::/48");
		assertThat(dev.tongxing.server.login.LoginAuditing.network("not an address")).isNull();
	}

	@Test
	void keyRotationIsAnAdminAction() throws Exception {
		long before = head();
		assertThat(admin("POST", "/admin/api/keys/rotate").statusCode()).isEqualTo(200);
		// the operator's request, before it runs, then what it did
		assertThat(since(before)).extracting(row -> row.type())
			.containsExactly(AuditTypes.ADMIN_REQUEST, AuditTypes.ADMIN_KEYS_ROTATED);
		assertThat(since(before)).last().satisfies(row -> {
			assertThat(row.type()).isEqualTo(AuditTypes.ADMIN_KEYS_ROTATED);
			assertThat(row.actor()).isEqualTo("admin:admin");
			assertThat(row.details()).contains("active_kid", "retired_kid");
		});
	}

	@Test
	@SuppressWarnings("unchecked")
	void operatorsVerifyAndExportTheLog() throws Exception {
		new OAuthClient(this.issuer).post("/oauth2/token", "backend", "backend-secret",
				Map.of("grant_type", "client_credentials"));
		this.checkpoints.checkpoint(); // signed with the gateway's own key
		HttpResponse<String> verify = admin("GET", "/admin/api/audit/verify");
		assertThat(verify.statusCode()).isEqualTo(200);
		assertThat(verify.body()).contains("\"intact\":true");

		long before = head();
		HttpResponse<String> export = admin("GET", "/admin/api/audit/export?from=2000-01-01");
		assertThat(export.statusCode()).isEqualTo(200);
		assertThat(export.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/jsonl");
		List<Map<String, Object>> entries = ExportedChain.verify(export.body());
		assertThat(entries).hasSizeGreaterThanOrEqualTo((int) before);
		assertThat(since(before)).extracting(Row::type).contains(AuditTypes.ADMIN_AUDIT_EXPORTED);

		// the auditor checks each checkpoint's signature with the published keys and its hash against the export
		Map<String, Object> signed = JSON.readValue(admin("GET", "/admin/api/audit/checkpoints").body(), Map.class);
		JWKSet keys = JWKSet.parse((Map<String, Object>) signed.get("keys"));
		List<Map<String, Object>> checkpoints = (List<Map<String, Object>>) signed.get("checkpoints");
		assertThat(checkpoints).isNotEmpty();
		for (Map<String, Object> checkpoint : checkpoints) {
			SignedJWT jws = SignedJWT.parse((String) checkpoint.get("jws"));
			RSAKey key = (RSAKey) keys.getKeyByKeyId(jws.getHeader().getKeyID());
			assertThat(jws.verify(new RSASSAVerifier(key))).isTrue();
			long seq = jws.getJWTClaimsSet().getLongClaim("seq");
			assertThat(entries.stream().filter(e -> ((Number) e.get("seq")).longValue() == seq).findFirst().orElseThrow())
				.containsEntry("hash", jws.getJWTClaimsSet().getStringClaim("hash"));
		}

		assertThat(admin("GET", "/admin/api/audit/export?from=yesterday").statusCode()).isEqualTo(400);
		HttpResponse<String> anonymous = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(this.issuer + "/admin/api/audit/verify")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(anonymous.statusCode()).isEqualTo(401);
	}

	private HttpResponse<String> admin(String method, String path) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(this.issuer + path))
				.method(method, HttpRequest.BodyPublishers.noBody())
				.header("Authorization", "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes()))
				.build(), HttpResponse.BodyHandlers.ofString());
	}

}
