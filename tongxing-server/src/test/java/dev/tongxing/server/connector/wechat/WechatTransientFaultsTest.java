package dev.tongxing.server.connector.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Reply;
import dev.tongxing.wechat.emulator.DefaultFixture;
import dev.tongxing.wechat.emulator.WechatEmulator;
import dev.tongxing.wechat.emulator.fault.FaultRule;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * With 10% transient errors injected (seeded) on the calls that are safe to repeat, logins whose code
 * exchange succeeded still complete — with the profile — in at least 99.9% of cases, and no code is ever
 * sent twice.
 */
class WechatTransientFaultsTest extends GatewayTest {

	static final int LOGINS = 400;

	@Autowired
	WechatEmulator emulator;

	@Autowired
	CircuitBreakerRegistry breakers;

	@AfterEach
	void reset() {
		this.emulator.control().clearFaults();
		this.breakers.getAllCircuitBreakers().forEach(b -> b.reset());
	}

	@Test
	void tenPercentTransientErrorsOnUserinfoCostNoLogin() throws Exception {
		this.emulator.control().reseed(20261124L);
		this.emulator.control().addFault(FaultRule.errcode("/sns/userinfo", -1, 0.10));
		this.emulator.control().clearRequests();
		OAuthClient oauth = new OAuthClient(this.issuer);
		int completed = 0;
		int withProfile = 0;
		List<String> refused = new ArrayList<>();
		for (int i = 0; i < LOGINS; i++) {
			String user = i % 2 == 0 ? DefaultFixture.ALICE : DefaultFixture.BOB;
			Map<String, String> form = new LinkedHashMap<>();
			form.put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
			form.put("subject_token", this.emulator.control().mobileCode(DefaultFixture.MOBILE_APPID, user));
			form.put("subject_token_type", "urn:tongxing:token-type:wechat-code");
			form.put("appid", DefaultFixture.MOBILE_APPID);
			form.put("scope", "openid profile");
			form.put("policy_version", "1");
			Reply reply = oauth.post("/oauth2/token", "live-app", "app-secret", form);
			if (reply.status() == 200) {
				completed++;
				if (SignedJWT.parse(reply.string("id_token")).getJWTClaimsSet().getStringClaim("name") != null) {
					withProfile++;
				}
			}
			else {
				refused.add(reply.status() + " " + reply.body());
			}
		}
		var userinfoCalls = this.emulator.control().requests("/sns/userinfo");
		long injected = userinfoCalls.stream().filter(e -> Integer.valueOf(-1).equals(e.errcode())).count();
		assertThat(injected).as("faults were injected").isGreaterThan(LOGINS / 20);
		assertThat(completed).as("refused: %s", refused).isEqualTo(LOGINS);
		assertThat(withProfile).isGreaterThanOrEqualTo((int) Math.ceil(LOGINS * 0.999));
		// the code exchange itself is never retried: one call per login
		assertThat(this.emulator.control().requests("/sns/oauth2/access_token")).hasSize(LOGINS);
	}

}
