package dev.tongxing.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tongxing.server.testing.TestBrowser;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Withdrawing consent tells the apps concerned: CAEP session-revoked and back-channel logout. */
class ConsentWithdrawalEventsTest extends EventsGatewayTest {

	static final Duration WAIT = Duration.ofSeconds(15);

	@Test
	void withdrawingAnAppsConsentSendsItSessionRevoked() {
		TestBrowser browser = browser();
		String user = signIn(browser, "rp-one", newUserName());
		signIn(browser, "rp-two", null);

		HttpResponse<String> consents = browser.get("/account/consents");
		browser.submit(consents, "/account/consents/withdraw", Map.of("client", "rp-one"));

		await().atMost(WAIT).until(() -> !RECEIVER.arrivals("rp-one", "events").isEmpty());
		assertThat(RECEIVER.arrivals("rp-one", "events")).singleElement().satisfies(a -> {
			assertThat(a.error()).isNull();
			assertThat(a.events()).containsOnlyKeys(EventTypes.SESSION_REVOKED);
			assertThat(a.claims().getAudience()).containsExactly("rp-one");
		});
		// rp-one asked for back-channel logout too: its own session of the person ends
		await().atMost(WAIT).until(() -> !RECEIVER.arrivals("rp-one", "logout").isEmpty());
		assertThat(RECEIVER.arrivals("rp-one", "logout").get(0).error()).isNull();
		assertThat(RECEIVER.arrivals("rp-two", "events")).isEmpty(); // its consent stands
		assertThat(RECEIVER.arrivals("rp-two", "logout")).isEmpty();
		assertThat(user).isNotBlank();
	}

	@Test
	void withdrawingThePolicyConsentLogsOutEveryAppAndRevokesTheirSessions() {
		TestBrowser browser = browser();
		signIn(browser, "rp-one", newUserName());
		signIn(browser, "rp-two", null);

		HttpResponse<String> page = browser.get("/account/consents/policy/withdraw");
		browser.submit(page, "/account/consents/policy/withdraw", Map.of());

		await().atMost(WAIT)
			.until(() -> RECEIVER.arrivals("rp-one", "events").size() == 1 && RECEIVER.arrivals("rp-two", "events").size() == 1
					&& !RECEIVER.arrivals("rp-one", "logout").isEmpty() && !RECEIVER.arrivals("rp-two", "logout").isEmpty());
		assertThat(RECEIVER.arrivals()).allSatisfy(a -> assertThat(a.error()).isNull());
		assertThat(RECEIVER.arrivals("rp-one", "events").get(0).events()).containsOnlyKeys(EventTypes.SESSION_REVOKED);
		assertThat(RECEIVER.arrivals("rp-one", "logout").get(0).events()).containsKey(EventTypes.BACKCHANNEL_LOGOUT);
	}

}
