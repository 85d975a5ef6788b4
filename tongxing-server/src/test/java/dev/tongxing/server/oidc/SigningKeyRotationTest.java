package dev.tongxing.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.MutableClock;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Signing keys live in the database, encrypted; rotation keeps old public keys until their tokens expire. */
class SigningKeyRotationTest extends GatewayTest {

	@Autowired
	MutableClock clock;

	@Autowired
	JdbcClient jdbc;

	@AfterEach
	void resetClock() {
		this.clock.reset();
	}

	@Test
	void privateKeysAreStoredEncrypted() {
		var rows = this.jdbc.sql("SELECT public_jwk, private_jwe FROM oidc_signing_key").query().listOfRows();
		assertThat(rows).isNotEmpty();
		for (var row : rows) {
			String priv = (String) row.get("private_jwe");
			assertThat(priv.split("\\.")).hasSize(5); // a compact JWE
			assertThat(priv).doesNotContain("\"d\"");
			assertThat((String) row.get("public_jwk")).doesNotContain("\"d\"");
		}
	}

	@Test
	void rotationKeepsRetiredKeysPublishedUntilTheirTokensExpire() throws Exception {
		OAuthClient oauth = new OAuthClient(this.issuer);
		String before = accessToken(oauth);
		String oldKid = SignedJWT.parse(before).getHeader().getKeyID();

		HttpResponse<String> rotated = admin("POST", "/admin/api/keys/rotate", "admin", "admin");
		assertThat(rotated.statusCode()).isEqualTo(200);

		String after = accessToken(oauth);
		String newKid = SignedJWT.parse(after).getHeader().getKeyID();
		assertThat(newKid).isNotEqualTo(oldKid);
		assertThat(jwks().getKeys()).extracting(k -> k.getKeyID()).contains(oldKid, newKid);
		assertThat(jwks().getKeys()).allMatch(k -> !k.isPrivate());

		// tokens signed by the retired key still verify (introspection, asked by the token's own client as
		// only it may, validates the JWT signature)
		assertThat(oauth.post("/oauth2/introspect", "backend", "backend-secret", Map.of("token", before)).json())
			.containsEntry("active", true);

		// once every token the old key signed has expired, it leaves the JWKS
		this.clock.advance(Duration.ofHours(2).plusMinutes(10));
		assertThat(jwks().getKeys()).extracting(k -> k.getKeyID()).contains(newKid).doesNotContain(oldKid);
	}

	@Test
	void everyOperatorChangeIsAudited() throws Exception {
		long before = adminRequests();
		assertThat(admin("POST", "/admin/api/keys/rotate", "admin", "admin").statusCode()).isEqualTo(200);
		assertThat(admin("POST", "/admin/api/keys/rotate", "admin", "wrong").statusCode()).isEqualTo(401);
		assertThat(adminRequests()).isEqualTo(before + 1); // the operator's, not the refused one
		assertThat(this.jdbc.sql("SELECT actor FROM audit_entry WHERE type = 'admin.request' ORDER BY seq DESC")
			.query(String.class)
			.list()).first().isEqualTo("admin:admin");
	}

	long adminRequests() {
		return this.jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE type = 'admin.request'").query(Long.class).single();
	}

	@Test
	void anotherSitesPageCannotUseTheOperatorsBrowserToRotate() throws Exception {
		String basic = "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes());
		HttpResponse<String> fromElsewhere = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(this.issuer + "/admin/api/keys/rotate"))
				.POST(HttpRequest.BodyPublishers.noBody())
				.header("Authorization", basic)
				.header("Origin", "https://evil.example")
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(fromElsewhere.statusCode()).isEqualTo(403);
		assertThat(fromElsewhere.body()).contains("cross_site_request");
		HttpResponse<String> crossSite = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(this.issuer + "/admin/api/keys/rotate"))
				.POST(HttpRequest.BodyPublishers.noBody())
				.header("Authorization", basic)
				.header("Sec-Fetch-Site", "cross-site")
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(crossSite.statusCode()).isEqualTo(403);
		// the gateway's own pages, and scripts (no Origin), still can
		HttpResponse<String> sameOrigin = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(this.issuer + "/admin/api/keys/rotate"))
				.POST(HttpRequest.BodyPublishers.noBody())
				.header("Authorization", basic)
				.header("Origin", this.issuer)
				.header("Sec-Fetch-Site", "same-origin")
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(sameOrigin.statusCode()).isEqualTo(200);
	}

	@Test
	void rotationNeedsAnOperator() throws Exception {
		assertThat(admin("POST", "/admin/api/keys/rotate", null, null).statusCode()).isEqualTo(401);
		assertThat(admin("POST", "/admin/api/keys/rotate", "admin", "wrong").statusCode()).isEqualTo(401);
	}

	private String accessToken(OAuthClient oauth) {
		Reply reply = oauth.post("/oauth2/token", "backend", "backend-secret", Map.of("grant_type", "client_credentials"));
		assertThat(reply.status()).isEqualTo(200);
		return reply.string("access_token");
	}

	private JWKSet jwks() throws Exception {
		return JWKSet.parse(admin("GET", "/oauth2/jwks", null, null).body());
	}

	private HttpResponse<String> admin(String method, String path, String user, String password) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.issuer + path))
			.method(method, HttpRequest.BodyPublishers.noBody());
		if (user != null) {
			request.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes()));
		}
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
