package dev.tongxing.server.connector.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.login.RedirectConnectorContract;
import dev.tongxing.server.testing.TestBrowser;
import dev.tongxing.wechat.emulator.DefaultFixture;
import dev.tongxing.wechat.emulator.WechatEmulator;
import dev.tongxing.wechat.emulator.fault.FaultRule;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Autowired;

/** WeChat's website QR login passes the contract every redirect connector passes, against the emulator. */
class WechatRedirectContractTest extends RedirectConnectorContract {

	@Autowired
	WechatEmulator emulator;

	@Autowired
	CircuitBreakerRegistry breakers;

	@Override
	protected String loginPath() {
		return "/login/wechat";
	}

	@Override
	protected String method() {
		return "wechat";
	}

	@Override
	protected List<String> people() {
		return List.of(DefaultFixture.ALICE, DefaultFixture.BOB);
	}

	/** The person scans the QR code and agrees: WeChat sends the browser back with a code and the state. */
	@Override
	protected URI upstreamAnswers(TestBrowser browser, URI authorization, String person) {
		assertThat(authorization.getPath()).isEqualTo("/connect/qrconnect");
		Map<String, String> query = TestBrowser.query(authorization);
		String code = this.emulator.control().authorizationCode(DefaultFixture.WEBSITE_APPID, person, "snsapi_login");
		return URI.create(query.get("redirect_uri") + "?code=" + code + "&state=" + query.get("state"));
	}

	/** WeChat says the code is invalid (40029). */
	@Override
	protected void upstreamRefuses() {
		this.emulator.control().addFault(FaultRule.errcode("/sns/oauth2/access_token", 40029, 1.0));
	}

	/** WeChat is busy (-1). */
	@Override
	protected void upstreamDown() {
		this.emulator.control().addFault(FaultRule.errcode("/sns/oauth2/access_token", -1, 1.0));
	}

	@Override
	protected void upstreamRestored() {
		this.emulator.control().clearFaults();
		this.breakers.getAllCircuitBreakers().forEach(b -> b.reset());
	}

}
