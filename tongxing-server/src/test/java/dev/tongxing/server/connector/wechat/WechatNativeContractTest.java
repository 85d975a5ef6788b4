package dev.tongxing.server.connector.wechat;

import dev.tongxing.server.login.NativeConnectorContract;
import dev.tongxing.wechat.emulator.DefaultFixture;
import dev.tongxing.wechat.emulator.WechatEmulator;
import dev.tongxing.wechat.emulator.fault.FaultRule;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Autowired;

/** WeChat's mobile-app login passes the native connector contract, against the emulator. */
class WechatNativeContractTest extends NativeConnectorContract {

	@Autowired
	WechatEmulator emulator;

	@Autowired
	CircuitBreakerRegistry breakers;

	@Override
	protected String subjectTokenType() {
		return "urn:tongxing:token-type:wechat-code";
	}

	@Override
	protected Map<String, String> parameters() {
		return Map.of("appid", DefaultFixture.MOBILE_APPID);
	}

	@Override
	protected String method() {
		return "wechat";
	}

	@Override
	protected List<String> people() {
		return List.of(DefaultFixture.ALICE, DefaultFixture.BOB);
	}

	@Override
	protected String freshCode(String person) {
		return this.emulator.control().mobileCode(DefaultFixture.MOBILE_APPID, person);
	}

	@Override
	protected void upstreamRefuses() {
		this.emulator.control().addFault(FaultRule.errcode("/sns/oauth2/access_token", 40029, 1.0));
	}

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
