package dev.tongxing.server.minors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Reply;
import dev.tongxing.wechat.emulator.DefaultFixture;
import dev.tongxing.wechat.emulator.WechatEmulator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * PIPL Art. 31 for native apps: while ages are self-declared, an app's sign-in carries the person's answer
 * ({@code age_bracket}), asked for before the code goes upstream (a missing one burns no code); the first answer
 * is kept; a child under 14 gets no tokens until a guardian consents, as in the browser.
 */
@TestPropertySource(properties = "tongxing.minors.age-check=self-declared")
class MinorsNativeSignInTest extends GatewayTest {

	@Autowired
	WechatEmulator emulator;

	@Autowired
	Minors minors;

	@Autowired
	JdbcClient jdbc;

	Reply exchange(String code, String ageBracket) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
		form.put("subject_token", code);
		form.put("subject_token_type", "urn:tongxing:token-type:wechat-code");
		form.put("appid", DefaultFixture.MOBILE_APPID);
		form.put("scope", "openid profile");
		form.put("policy_version", "1");
		if (ageBracket != null) {
			form.put("age_bracket", ageBracket);
		}
		return new OAuthClient(this.issuer).post("/oauth2/token", "live-app", "app-secret", form);
	}

	@Test
	void theAppSendsTheAnswerTheFirstOneIsKeptAndAChildWaitsForAGuardian() {
		String code = this.emulator.control().mobileCode(DefaultFixture.MOBILE_APPID, DefaultFixture.ALICE);
		Reply missing = exchange(code, null);
		assertThat(missing.status()).isEqualTo(400);
		assertThat(missing.string("error")).isEqualTo("invalid_request");
		assertThat(missing.string("error_description")).contains("age_bracket");
		Reply wrong = exchange(code, "twelve");
		assertThat(wrong.status()).isEqualTo(400);
		assertThat(wrong.string("error_description")).contains("under-14, 14-17 or adult");

		// the same code still works: nothing went upstream
		Reply adult = exchange(code, "adult");
		assertThat(adult.status()).as(adult.body()).isEqualTo(200);
		String alice = new OAuthClient(this.issuer).get("/userinfo", adult.string("access_token")).string("sub");
		assertThat(this.minors.standing(alice)).hasValueSatisfying(s -> {
			assertThat(s.bracket()).isEqualTo(AgeBracket.ADULT);
			assertThat(s.source()).isEqualTo("self-declared");
		});
		// a later answer does not change the first (a correction goes through support or a guardian)
		Reply again = exchange(this.emulator.control().mobileCode(DefaultFixture.MOBILE_APPID, DefaultFixture.ALICE),
				"under-14");
		assertThat(again.status()).as(again.body()).isEqualTo(200);
		assertThat(this.minors.standing(alice).orElseThrow().bracket()).isEqualTo(AgeBracket.ADULT);

		// a child under 14: recorded, and no tokens until a guardian consents
		Reply child = exchange(this.emulator.control().mobileCode(DefaultFixture.MOBILE_APPID, DefaultFixture.BOB),
				"under-14");
		assertThat(child.status()).isEqualTo(400);
		assertThat(child.string("error")).isEqualTo("access_denied");
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM minor_account WHERE age_bracket = 'under-14' AND guardian_actor IS NULL")
			.query(Long.class)
			.single()).isEqualTo(1);
	}

}
