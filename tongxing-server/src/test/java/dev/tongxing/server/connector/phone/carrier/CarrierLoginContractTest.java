package dev.tongxing.server.connector.phone.carrier;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.consent.PhoneNumberConsent;
import dev.tongxing.server.login.Connectors;
import dev.tongxing.server.login.LoginFailureCause;
import dev.tongxing.server.login.NativeConnectorContract;
import dev.tongxing.server.testing.OAuthClient.Reply;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One-tap carrier login against an emulator of Aliyun's number verification: the contract every native
 * connector passes, plus what is its own — the number's account is the SMS login's, and the number is never
 * fetched without the separate phone-number consent.
 */
class CarrierLoginContractTest extends NativeConnectorContract {

	static final DypnsEmulator service = new DypnsEmulator();

	@DynamicPropertySource
	static void carrier(DynamicPropertyRegistry registry) {
		registry.add("tongxing.carrier-login.enabled", () -> "true");
		registry.add("tongxing.carrier-login.endpoint", service::endpoint);
		registry.add("tongxing.carrier-login.access-key-id", () -> DypnsEmulator.ACCESS_KEY_ID);
		registry.add("tongxing.carrier-login.access-key-secret", () -> DypnsEmulator.ACCESS_KEY_SECRET);
	}

	@Autowired
	PhoneNumberConsent phoneConsent;

	@Autowired
	AccountService accounts;

	@Autowired
	Connectors connectors;

	@Override
	protected String subjectTokenType() {
		return CarrierLoginConnector.SUBJECT_TOKEN_TYPE;
	}

	@Override
	protected Map<String, String> parameters() {
		return Map.of("phone_consent", this.phoneConsent.notice().version());
	}

	@Override
	protected String method() {
		return CarrierLoginConnector.METHOD;
	}

	@Override
	protected List<String> people() {
		return List.of("13900139001", "13900139002");
	}

	@Override
	protected String freshCode(String person) {
		return service.issue(person);
	}

	@Override
	protected void upstreamRefuses() {
		// the service honours no token it did not issue, nor one twice: the next one is refused
		service.mood(DypnsEmulator.Mood.WORKING);
		this.refuseNext = true;
	}

	@Override
	protected void upstreamDown() {
		service.mood(DypnsEmulator.Mood.DOWN);
	}

	@Override
	protected void upstreamRestored() {
		service.mood(DypnsEmulator.Mood.WORKING);
		this.refuseNext = false;
	}

	private boolean refuseNext;

	@Override
	protected Reply exchange(String code) {
		if (this.refuseNext) {
			this.refuseNext = false;
			return super.exchange(code + "-unknown");
		}
		return super.exchange(code);
	}

	Reply exchangeWithout(String token, String parameter) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
		form.put("subject_token", token);
		form.put("subject_token_type", subjectTokenType());
		form.put("scope", "openid");
		form.put("policy_version", "1");
		if (!"phone_consent".equals(parameter)) {
			form.putAll(parameters());
		}
		return this.oauth.post("/oauth2/token", "live-app", "app-secret", form);
	}

	@Test
	void theNumbersAccountIsTheOneItsSmsLoginReaches() throws Exception {
		String sms = this.accounts.signIn(new ExternalIdentity("phone",
				List.of(new IdentityKey("phone", "+8613900139077")), new ExternalIdentity.Profile(null, null, "+8613900139077")))
			.id();
		Reply tokens = super.exchange(service.issue("13900139077"));
		assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
		assertThat(SignedJWT.parse(tokens.string("id_token")).getJWTClaimsSet().getSubject()).isEqualTo(sms);
		assertThat(this.connectors.methodOf("phone")).hasValueSatisfying(m -> assertThat(m.id()).isEqualTo("phone"));
	}

	@Test
	void withoutSeparateConsentTheNumberIsNeverFetched() {
		int before = service.calls();
		Reply refused = exchangeWithout(service.issue("13900139003"), "phone_consent");
		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.error()).isEqualTo("consent_required");
		assertThat(service.calls()).isEqualTo(before);
	}

	@Test
	void anEmptyBalanceIsTheOperatorsToFixAndSaysSo() {
		service.mood(DypnsEmulator.Mood.NO_BALANCE);
		int before = this.events.size();
		Reply refused = super.exchange(service.issue("13900139004"));
		assertThat(refused.error()).isEqualTo("temporarily_unavailable");
		assertThat(this.events.since(before)).filteredOn(e -> e.method().equals(method())).singleElement()
			.satisfies(e -> {
				assertThat(e.cause()).isEqualTo(LoginFailureCause.UPSTREAM_RATE_LIMITED);
				assertThat(e.upstreamError()).isEqualTo("GetMobile isv.AMOUNT_NOT_ENOUGH");
			});
		assertThat(this.connectors.failureAdvice(method()).advice("isv.AMOUNT_NOT_ENOUGH"))
			.hasValueSatisfying(a -> assertThat(a.adviceKey()).isEqualTo("ops.carrier.balance"));
	}

	@Test
	void theNumberVerificationServiceIsOnTheListOfThirdParties() {
		assertThat(browser().get("/privacy/third-parties", "en").body()).contains("Aliyun Phone Number Verification Service")
			.contains("one-tap sign-in");
		assertThat(browser().get("/privacy/third-parties", "zh-CN").body()).contains("本机号码一键登录");
	}

	@Test
	void itIsKnownByItsDeclarationsAndOffersNothingOnTheLoginPage() {
		assertThat(this.connectors.nativeFor(CarrierLoginConnector.SUBJECT_TOKEN_TYPE)).isPresent();
		assertThat(this.connectors.loginMethods()).noneMatch(m -> m.id().equals("carrier"));
	}

}
