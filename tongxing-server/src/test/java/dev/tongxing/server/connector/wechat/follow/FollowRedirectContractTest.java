package dev.tongxing.server.connector.wechat.follow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.login.RedirectConnectorContract;
import dev.tongxing.server.testing.TestBrowser;
import dev.tongxing.wechat.emulator.DefaultFixture;
import dev.tongxing.wechat.emulator.WechatEmulator;
import dev.tongxing.wechat.emulator.core.EventPusher;
import dev.tongxing.wechat.emulator.fault.FaultRule;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Follow-to-sign-in passes the contract every redirect connector passes, against the emulator: its "upstream page"
 * is the gateway's own QR page, the person scans the code in the emulated WeChat (following the account, or having
 * followed it), WeChat pushes the event to the message endpoint (safe mode, as the dev profile configures it), and
 * the page's long poll names the broker's callback. Refusal and outage are WeChat's {@code user/info} at the callback.
 */
class FollowRedirectContractTest extends RedirectConnectorContract {

	@Autowired
	WechatEmulator emulator;

	@Autowired
	CircuitBreakerRegistry breakers;

	@Autowired
	DevFollowEndpoint dev;

	@BeforeEach
	void wechatPushesHere() {
		FollowTesting.pushesHere(this.emulator, this.dev);
	}

	@Override
	protected String loginPath() {
		return "/login/wechat-follow";
	}

	@Override
	protected String method() {
		return "wechat-follow";
	}

	@Override
	protected List<String> people() {
		return List.of(DefaultFixture.ALICE, DefaultFixture.BOB);
	}

	@Override
	protected URI upstreamAnswers(TestBrowser browser, URI authorization, String person) {
		assertThat(authorization.getPath()).isEqualTo("/login/wechat-follow/scan");
		HttpResponse<String> page = browser.get(authorization.toString());
		EventPusher.Delivery push = this.emulator.control().scanQrCode(FollowTesting.ticket(page), person, true);
		assertThat(push).isNotNull();
		assertThat(push.delivered()).as("%s", push.attempts()).isTrue();
		return URI.create(this.issuer + FollowTesting.next(browser, page));
	}

	/** The official account may not read its followers (48001). */
	@Override
	protected void upstreamRefuses() {
		this.emulator.control().addFault(FaultRule.errcode("/cgi-bin/user/info", 48001, 1.0));
	}

	/** WeChat is busy (-1). */
	@Override
	protected void upstreamDown() {
		this.emulator.control().addFault(FaultRule.errcode("/cgi-bin/user/info", -1, 1.0));
	}

	@Override
	protected void upstreamRestored() {
		this.emulator.control().clearFaults();
		this.breakers.getAllCircuitBreakers().forEach(b -> b.reset());
	}

}
