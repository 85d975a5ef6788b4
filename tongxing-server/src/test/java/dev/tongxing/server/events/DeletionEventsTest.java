package dev.tongxing.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tongxing.server.deletion.AccountDeletion;
import dev.tongxing.server.testing.MutableClock;
import dev.tongxing.server.testing.TestBrowser;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Account deletion as the relying parties see it (compliance scenario A): the request disables the account
 * (account-disabled and session-revoked under one txn) and logs the person out of every app with a session;
 * after the cooling-off, account-purged reaches every app that ever received the data.
 */
class DeletionEventsTest extends EventsGatewayTest {

	static final String RISC = "https://schemas.openid.net/secevent/risc/event-type/";

	@Autowired
	AccountDeletion deletion;

	@Autowired
	MutableClock clock;

	@Autowired
	JdbcClient jdbc;

	@AfterEach
	void resetClock() {
		this.clock.reset();
	}

	@Test
	void deletionTellsEveryAppThatReceivedTheData() {
		TestBrowser browser = browser();
		String user = signIn(browser, "rp-one", newUserName());
		signIn(browser, "rp-two", null);

		this.deletion.request(user);
		await().atMost(Duration.ofSeconds(20)).until(() -> delivered(user) == 6);
		assertThat(RECEIVER.arrivals()).allSatisfy(a -> assertThat(a.error()).isNull());
		for (String client : List.of("rp-one", "rp-two")) {
			List<TestReceiver.Arrival> sets = RECEIVER.arrivals(client, "events");
			assertThat(sets).extracting(a -> a.events().keySet().iterator().next())
				.containsExactlyInAnyOrder(RISC + "account-disabled",
						"https://schemas.openid.net/secevent/caep/event-type/session-revoked");
			assertThat(sets.get(0).claims().getClaim("txn")).isEqualTo(sets.get(1).claims().getClaim("txn"));
			assertThat(RECEIVER.arrivals(client, "logout")).singleElement()
				.satisfies(logout -> assertThat(logout.claims().getSubject()).isEqualTo(user));
		}
		assertThat(RECEIVER.arrivals("rp-two", "logout").get(0).claims().getClaim("sid")).isNotNull();

		this.clock.advance(Duration.ofDays(8)); // past the cooling-off
		assertThat(this.deletion.completeDue()).isGreaterThanOrEqualTo(1);
		await().atMost(Duration.ofSeconds(20)).until(() -> delivered(user) == 8);
		assertThat(RECEIVER.arrivals()
			.stream()
			.filter(a -> a.events().containsKey(RISC + "account-purged"))
			.collect(Collectors.toMap(TestReceiver.Arrival::client, a -> a.claims().getClaim("sub_id"))))
			.isEqualTo(Map.of("rp-one", Map.of("format", "iss_sub", "iss", this.issuer, "sub", user), "rp-two",
					Map.of("format", "iss_sub", "iss", this.issuer, "sub", user)));
		// the erased user's recipients are forgotten; the delivered events keep only opaque ids
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM events_recipient WHERE user_id = :u")
			.param("u", user)
			.query(Long.class)
			.single()).isZero();
	}

	private long delivered(String user) {
		return this.jdbc.sql("SELECT COUNT(*) FROM events_outbox WHERE user_id = :u AND status = 'delivered'")
			.param("u", user)
			.query(Long.class)
			.single();
	}

}
