package dev.tongxing.server.login;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.LoginEvents;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Reply;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What every native connector must do, whatever its upstream (like a storage test suite that every store
 * passes): a subclass says how to get codes from its upstream and how to make that upstream refuse or fail,
 * and these tests prove the login through the one token-exchange grant — tokens for a good code, readable
 * OAuth errors and recorded failures for refusals and outages, a code used once, a tampered code refused, and
 * one account per person.
 */
public abstract class NativeConnectorContract extends GatewayTest {

	@Autowired
	protected LoginEvents events;

	protected OAuthClient oauth;

	/** The connector's {@code subject_token_type}. */
	protected abstract String subjectTokenType();

	/** The connector's own parameters for a good request ({@code appid}, …). */
	protected abstract Map<String, String> parameters();

	/** The login method the connector records ({@code Connector.id()}). */
	protected abstract String method();

	/** Two different people the upstream knows. */
	protected abstract List<String> people();

	/** A fresh code the upstream issued for this person. */
	protected abstract String freshCode(String person);

	/** From now on the upstream refuses the codes it is sent (a code it says is invalid). */
	protected abstract void upstreamRefuses();

	/** From now on the upstream is down (it answers that it is busy, or not at all). */
	protected abstract void upstreamDown();

	/** The upstream works again, as at the start. */
	protected abstract void upstreamRestored();

	@BeforeEach
	void contractClient() {
		this.oauth = new OAuthClient(this.issuer);
	}

	@AfterEach
	void contractRestore() {
		upstreamRestored();
	}

	protected Reply exchange(String code) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
		form.put("subject_token", code);
		form.put("subject_token_type", subjectTokenType());
		form.putAll(parameters());
		form.put("scope", "openid profile offline_access");
		form.put("policy_version", "1");
		return this.oauth.post("/oauth2/token", "live-app", "app-secret", form);
	}

	private static String subject(Reply tokens) throws Exception {
		assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
		return SignedJWT.parse(tokens.string("id_token")).getJWTClaimsSet().getSubject();
	}

	@Test
	void aGoodCodeGetsTokensAndTheLoginIsRecordedWithTheAppsAddress() throws Exception {
		int before = this.events.size();
		Reply tokens = exchange(freshCode(people().get(0)));
		assertThat(subject(tokens)).isNotBlank();
		assertThat(tokens.string("access_token")).isNotBlank();
		assertThat(this.events.recordedSuccess(before, method()).userId()).isEqualTo(subject(tokens));
	}

	@Test
	void aRefusedCodeIsAReadableErrorAndARecordedFailure() {
		String code = freshCode(people().get(0));
		upstreamRefuses();
		int before = this.events.size();
		Reply refused = exchange(code);
		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.error()).isIn("invalid_grant", "access_denied");
		assertThat(this.events.since(before)).filteredOn(e -> e.method().equals(method()))
			.singleElement()
			.satisfies(e -> {
				assertThat(e.success()).isFalse();
				assertThat(e.cause()).isNotNull();
				assertThat(e.upstreamError()).isNotBlank();
				assertThat(e.clientIp()).isNotBlank();
			});
	}

	@Test
	void anUpstreamThatIsDownIsTemporarilyUnavailableAndRecordedAsSuch() {
		String code = freshCode(people().get(0));
		upstreamDown();
		int before = this.events.size();
		Reply down = exchange(code);
		assertThat(down.error()).isEqualTo("temporarily_unavailable");
		assertThat(this.events.since(before)).filteredOn(e -> e.method().equals(method()))
			.singleElement()
			.satisfies(e -> assertThat(e.cause()).isIn(LoginFailureCause.UPSTREAM_UNAVAILABLE, LoginFailureCause.NETWORK,
					LoginFailureCause.UPSTREAM_RATE_LIMITED));
	}

	@Test
	void aCodeIsUsedOnce() throws Exception {
		String code = freshCode(people().get(0));
		subject(exchange(code));
		Reply replay = exchange(code);
		assertThat(replay.status()).isEqualTo(400);
		assertThat(replay.error()).isEqualTo("invalid_grant");
	}

	@Test
	void aTamperedCodeOrAForeignTokenTypeGetsNoTokens() {
		String code = freshCode(people().get(0));
		Reply tampered = exchange(code.substring(0, code.length() - 1) + (code.endsWith("x") ? "y" : "x"));
		assertThat(tampered.status()).isEqualTo(400);
		assertThat(tampered.error()).isIn("invalid_grant", "access_denied");
		Map<String, String> form = new LinkedHashMap<>();
		form.put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
		form.put("subject_token", code);
		form.put("subject_token_type", subjectTokenType() + "-tampered");
		form.putAll(parameters());
		form.put("policy_version", "1");
		assertThat(this.oauth.post("/oauth2/token", "live-app", "app-secret", form).status()).isEqualTo(400);
	}

	@Test
	void onePersonIsOneAccount() throws Exception {
		String first = subject(exchange(freshCode(people().get(0))));
		String again = subject(exchange(freshCode(people().get(0))));
		String other = subject(exchange(freshCode(people().get(1))));
		assertThat(again).isEqualTo(first);
		assertThat(other).isNotEqualTo(first);
	}

}
