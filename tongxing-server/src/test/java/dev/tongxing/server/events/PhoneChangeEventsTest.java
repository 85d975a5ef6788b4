package dev.tongxing.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tongxing.server.connector.phone.LogSmsSender;
import dev.tongxing.server.connector.phone.SmsSender;
import dev.tongxing.server.testing.MutableClock;
import dev.tongxing.server.testing.PhoneLimits;
import dev.tongxing.server.testing.PhoneConsentForm;
import dev.tongxing.server.testing.TestBrowser;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A phone change proved with both codes, as the apps see it: RISC {@code identifier-changed} and CAEP
 * {@code credential-change} ({@code phone-sms}, {@code update}) under one txn, neither number in them. The
 * first number bound is no change and sends nothing.
 */
class PhoneChangeEventsTest extends EventsGatewayTest {

	static final String CHANGED = "https://schemas.openid.net/secevent/risc/event-type/identifier-changed";

	static final String CREDENTIAL = "https://schemas.openid.net/secevent/caep/event-type/credential-change";

	@Autowired
	SmsSender sms;

	@Autowired
	MutableClock clock;

	@Autowired
	JdbcClient jdbc;

	@BeforeEach
	void freshLimits() {
		PhoneLimits.fresh(this.clock, this.jdbc);
	}

	@AfterEach
	void freshAfter() {
		PhoneLimits.fresh(this.clock, this.jdbc);
	}

	@Test
	void aChangedNumberReachesTheAppsAsIdentifierChangedWithoutTheNumbers() {
		String old = "+86136" + String.format("%08d", (int) (Math.random() * 100_000_000));
		String wanted = "+86136" + String.format("%08d", (int) (Math.random() * 100_000_000));
		TestBrowser browser = browser().header("Accept-Language", "en");
		String user = signIn(browser, "rp-one", newUserName());

		HttpResponse<String> bind = browser.get("/account/phone");
		tick();
		HttpResponse<String> sent = browser.submit(bind, "/account/phone/send", PhoneConsentForm.agreed(bind, Map.of("phone", old)));
		browser.submit(sent, "/account/phone/verify", PhoneConsentForm.agreed(sent, Map.of("phone", old, "code", codeTo(old))));

		HttpResponse<String> page = browser.get("/account/phone");
		tick();
		HttpResponse<String> toOld = browser.submit(page, "/account/phone/change/old/send", Map.of());
		HttpResponse<String> proved = browser.submit(toOld, "/account/phone/change/old/verify", Map.of("code", codeTo(old)));
		tick();
		HttpResponse<String> toNew = browser.submit(proved, "/account/phone/send",
				PhoneConsentForm.agreed(proved, Map.of("phone", wanted)));
		HttpResponse<String> changed = browser.submit(toNew, "/account/phone/verify",
				PhoneConsentForm.agreed(toNew, Map.of("phone", wanted, "code", codeTo(wanted))));
		assertThat(changed.headers().firstValue("Location").orElseThrow()).endsWith("/account?notice=phone-changed");

		await().atMost(Duration.ofSeconds(20)).until(() -> RECEIVER.arrivals("rp-one", "events").size() >= 2);
		List<TestReceiver.Arrival> sets = RECEIVER.arrivals("rp-one", "events");
		assertThat(sets).extracting(a -> a.events().keySet().iterator().next()).containsExactly(CHANGED, CREDENTIAL);
		assertThat(sets.get(0).claims().getClaim("txn")).isEqualTo(sets.get(1).claims().getClaim("txn"));
		assertThat(sets.get(0).claims().getClaim("sub_id"))
			.isEqualTo(Map.of("format", "iss_sub", "iss", this.issuer, "sub", user));
		assertThat(sets).allSatisfy(a -> {
			assertThat(a.error()).isNull();
			assertThat(a.token() + a.claims()).doesNotContain(old.substring(3)).doesNotContain(wanted.substring(3));
		});
	}

	private void tick() {
		this.clock.advance(Duration.ofSeconds(61));
	}

	private String codeTo(String e164) {
		return ((LogSmsSender) this.sms).latestPerPhone()
			.stream()
			.filter(m -> m.phone().equals(e164))
			.findFirst()
			.orElseThrow()
			.code();
	}

}
