package dev.tongxing.server.oidc;

import static dev.tongxing.server.oidc.PairwiseClients.accessTokenSub;
import static dev.tongxing.server.oidc.PairwiseClients.idTokenSub;
import static dev.tongxing.server.oidc.PairwiseClients.signIn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.crypto.PairwiseSubjectKey;
import dev.tongxing.server.deletion.AccountDeletion;
import dev.tongxing.server.oidc.client.ClientSettingNames;
import dev.tongxing.server.testing.FreePort;
import dev.tongxing.server.testing.GatewayNode;
import dev.tongxing.server.testing.GatewayTestBeans;
import dev.tongxing.server.testing.MutableClock;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

/**
 * Pairwise subject identifiers (OIDC Core §8.1), on one H2 file database that a second start of the gateway
 * opens again ({@link PairwiseClients}): two pairwise clients of different sectors see different subs for one
 * person, two of one sector the same one, a public client the account id; the ID token, the access token,
 * userinfo, introspection and a refresh agree; the subs survive a restart; a merge keeps what every app saw; the
 * account's deletion takes its rows; a client stored before subject types existed, or stored public, stays public
 * whatever the defaults say now.
 */
class PairwiseSubjectTest {

	@TempDir
	Path dir;

	@Test
	void eachSectorSeesItsOwnStableSubAndThePublicClientTheAccountId() throws Exception {
		Map<String, Object> properties = new HashMap<>(PairwiseClients.properties());
		properties.put("spring.datasource.url", "jdbc:h2:file:" + Files.createDirectories(this.dir).resolve("db").toAbsolutePath());
		int port = FreePort.find();
		String issuer = "http://127.0.0.1:" + port;
		String person = "pw-" + UUID.randomUUID();
		String someoneElse = "pw-" + UUID.randomUUID();
		String survivor = "pw-" + UUID.randomUUID();
		String merged = "pw-" + UUID.randomUUID();
		String accountId;
		String oneSub;
		String otherSub;
		String survivorOneSub;
		String mergedOtherSub;
		String survivorId;
		String mergedId;
		try (GatewayNode node = GatewayNode.start(issuer, port, properties, GatewayTestBeans.class)) {
			OAuthClient oauth = new OAuthClient(issuer);
			// the public client: the account id, in both tokens
			Reply pub = signIn(issuer, "pub", person);
			accountId = idTokenSub(pub);
			assertThat(node.bean(AccountService.class).find(accountId)).isPresent();
			assertThat(accessTokenSub(pub)).isEqualTo(accountId);

			// a pairwise client: an opaque sub, the same in ID token, access token, userinfo, introspection, refresh
			Reply one = signIn(issuer, "pw-one", person);
			oneSub = idTokenSub(one);
			assertThat(oneSub).isNotEqualTo(accountId).matches("[A-Za-z0-9_-]{43}");
			assertThat(accessTokenSub(one)).isEqualTo(oneSub);
			Reply userinfo = oauth.get("/userinfo", one.string("access_token"));
			assertThat(userinfo.status()).as(userinfo.body()).isEqualTo(200);
			assertThat(userinfo.json()).containsEntry("sub", oneSub);
			Reply introspection = oauth.post("/oauth2/introspect", "pw-one", "pw-one-secret",
					Map.of("token", one.string("access_token")));
			assertThat(introspection.json()).containsEntry("active", true).containsEntry("sub", oneSub);
			Reply refreshed = oauth.post("/oauth2/token", "pw-one", "pw-one-secret",
					Map.of("grant_type", "refresh_token", "refresh_token", one.string("refresh_token")));
			assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
			assertThat(idTokenSub(refreshed)).isEqualTo(oneSub);
			assertThat(accessTokenSub(refreshed)).isEqualTo(oneSub);

			// the same sector (the redirect URIs' host): the same sub; another sector: another one
			assertThat(idTokenSub(signIn(issuer, "pw-sibling", person))).isEqualTo(oneSub);
			otherSub = idTokenSub(signIn(issuer, "pw-other", person));
			assertThat(otherSub).isNotEqualTo(oneSub).isNotEqualTo(accountId);
			// another person at the same client: another sub
			assertThat(idTokenSub(signIn(issuer, "pw-one", someoneElse))).isNotEqualTo(oneSub);

			// what was computed: HMAC-SHA256 of sector and account id, under the key derived from the lookup-hash key
			PairwiseSubjectKey key = node.bean(PairwiseSubjectKey.class);
			assertThat(key.subject("127.0.0.1", accountId)).isEqualTo(oneSub);
			assertThat(key.subject("other.example.com", accountId)).isEqualTo(otherSub);
			// and stored: a sub a client sends back names the account
			ClientSubjects subjects = node.bean(ClientSubjects.class);
			assertThat(subjects.userFor(oneSub, "pw-one")).isEqualTo(accountId);
			assertThat(subjects.userFor(oneSub, "pw-sibling")).isEqualTo(accountId);
			assertThat(subjects.userFor(otherSub, "pw-other")).isEqualTo(accountId);
			assertThat(subjects.pairwiseSubjects(accountId)).containsOnlyKeys("pw-one", "pw-sibling", "pw-other");
			// the audit log and the events' records still name the account
			JdbcClient jdbc = node.bean(JdbcClient.class);
			assertThat(jdbc.sql("SELECT subject FROM audit_entry WHERE type = 'token.issued' AND client_id = 'pw-other'"
					+ " ORDER BY seq DESC FETCH FIRST 1 ROWS ONLY").query(String.class).single()).isEqualTo(accountId);

			// the defaults, stored with the clients: first-party public, a new third-party client pairwise
			RegisteredClientRepository clients = node.bean(RegisteredClientRepository.class);
			assertThat(ClientSettingNames.pairwise(clients.findByClientId("pub"))).isFalse();
			RegisteredClient third = clients.findByClientId("third");
			assertThat(ClientSettingNames.pairwise(third)).isTrue();
			assertThat(ClientSettingNames.sectorIdentifier(third)).isEqualTo("third.example.com");
			assertThat(subjects.subjectFor(accountId, "third")).isEqualTo(key.subject("third.example.com", accountId));
			// as a client stored before subject types existed would look
			ClientSettings.Builder settings = ClientSettings.withSettings(third.getClientSettings().getSettings());
			settings.settings(s -> {
				s.remove(ClientSettingNames.SUBJECT_TYPE);
				s.remove(ClientSettingNames.SECTOR_IDENTIFIER);
			});
			clients.save(RegisteredClient.from(third).clientSettings(settings.build()).build());

			// a merge: the survivor keeps its sub at pw-one; at pw-other, where only the merged account was known,
			// the app keeps seeing the sub it knew
			survivorId = idTokenSub(signIn(issuer, "pub", survivor));
			mergedId = idTokenSub(signIn(issuer, "pub", merged));
			survivorOneSub = idTokenSub(signIn(issuer, "pw-one", survivor));
			String mergedOneSub = idTokenSub(signIn(issuer, "pw-one", merged));
			mergedOtherSub = idTokenSub(signIn(issuer, "pw-other", merged));
			node.bean(AccountService.class).merge(survivorId, mergedId, "test");
			assertThat(subjects.subjectFor(survivorId, "pw-one")).isEqualTo(survivorOneSub);
			assertThat(subjects.subjectFor(survivorId, "pw-other")).isEqualTo(mergedOtherSub);
			assertThat(subjects.userFor(mergedOtherSub, "pw-other")).isEqualTo(survivorId);
			assertThat(idTokenSub(signIn(issuer, "pw-other", merged))).as("the merged person's login, now the survivor's")
				.isEqualTo(mergedOtherSub);
			assertThat(idTokenSub(signIn(issuer, "pw-one", merged))).isEqualTo(survivorOneSub).isNotEqualTo(mergedOneSub);
		}

		// the next start: pub is no longer first-party (its default would be pairwise now), third is "old"
		properties.put("tongxing.clients[3].first-party", false);
		properties.put("tongxing.clients[3].company", "Pub Ltd.");
		properties.put("tongxing.clients[3].contact", "privacy@pub.example.com");
		properties.put("tongxing.clients[3].purposes[0]", "Signing you in");
		try (GatewayNode node = GatewayNode.start(issuer, port, properties, GatewayTestBeans.class)) {
			RegisteredClientRepository clients = node.bean(RegisteredClientRepository.class);
			assertThat(ClientSettingNames.pairwise(clients.findByClientId("pub"))).isFalse();
			assertThat(ClientSettingNames.pairwise(clients.findByClientId("third"))).isFalse();
			assertThat(clients.findByClientId("third").getClientSettings().<String>getSetting(ClientSettingNames.SUBJECT_TYPE))
				.isEqualTo("public");
			ClientSubjects subjects = node.bean(ClientSubjects.class);
			assertThat(subjects.subjectFor(accountId, "pub")).isEqualTo(accountId);
			assertThat(subjects.subjectFor(accountId, "third")).isEqualTo(accountId);

			// the same subs as before the restart
			Reply one = signIn(issuer, "pw-one", person);
			assertThat(idTokenSub(one)).isEqualTo(oneSub);
			assertThat(accessTokenSub(one)).isEqualTo(oneSub);
			assertThat(idTokenSub(signIn(issuer, "pw-other", person))).isEqualTo(otherSub);
			assertThat(subjects.subjectFor(survivorId, "pw-other")).isEqualTo(mergedOtherSub);

			// deletion takes the person's rows (and those of an account merged into it), nobody else's
			JdbcClient jdbc = node.bean(JdbcClient.class);
			String someoneElsesId = jdbc.sql("SELECT user_id FROM oidc_pairwise_subject WHERE client_id = 'pw-one' "
					+ "AND user_id NOT IN (:a, :s, :m)")
				.param("a", accountId)
				.param("s", survivorId)
				.param("m", mergedId)
				.query(String.class)
				.single();
			AccountDeletion deletion = node.bean(AccountDeletion.class);
			deletion.request(accountId);
			deletion.request(survivorId);
			node.bean(MutableClock.class).advance(Duration.ofDays(60));
			assertThat(deletion.completeDue()).isEqualTo(2);
			for (String id : new String[] { accountId, survivorId, mergedId }) {
				assertThat(rows(jdbc, id)).as(id).isZero();
			}
			assertThat(rows(jdbc, someoneElsesId)).isEqualTo(1);
			assertThat(subjects.userFor(oneSub, "pw-one")).as("no account behind it any more").isEqualTo(oneSub);
		}
	}

	static long rows(JdbcClient jdbc, String userId) {
		return jdbc.sql("SELECT COUNT(*) FROM oidc_pairwise_subject WHERE user_id = :u")
			.param("u", userId)
			.query(Long.class)
			.single();
	}

}
