package dev.tongxing.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.TestBrowser;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Security events leave through the outbox and reach a receiver that verifies them as a relying party
 * would: signature against the gateway's JWKS, typ, iss, aud, events; de-duplication by jti.
 */
class SecurityEventDeliveryTest extends EventsGatewayTest {

	static final Duration WAIT = Duration.ofSeconds(20);

	@Autowired
	SecurityEvents events;

	@Autowired
	AccountService accounts;

	@Autowired
	TransactionTemplate tx;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MeterRegistry meters;

	@Test
	void accountPurgedReachesEveryClientThatReceivedTheUsersData() {
		TestBrowser browser = browser();
		String user = signIn(browser, "rp-one", newUserName());
		signIn(browser, "rp-two", null);
		signIn(browser, "rp-quiet", null);
		assertThat(this.events.recipients(user)).containsExactlyInAnyOrder("rp-one", "rp-two", "rp-quiet");

		this.tx.executeWithoutResult(status -> this.events.accountPurged(user));

		await().atMost(WAIT).until(() -> statuses(user).equals(Map.of("delivered", 2L)));
		List<TestReceiver.Arrival> arrivals = RECEIVER.arrivals();
		assertThat(arrivals).hasSize(2).allSatisfy(a -> {
			assertThat(a.error()).isNull(); // verified: signature, typ, iss, aud, no sub, no exp
			assertThat(a.kind()).isEqualTo("events");
			assertThat(a.contentType()).isEqualTo("application/secevent+jwt");
			assertThat(a.header()).containsEntry("typ", "secevent+jwt").containsEntry("alg", "RS256");
			assertThat(a.claims().getAudience()).containsExactly(a.client());
			assertThat(a.events()).containsOnlyKeys("https://schemas.openid.net/secevent/risc/event-type/account-purged");
			assertThat(a.claims().getClaim("sub_id")).isEqualTo(Map.of("format", "iss_sub", "iss", this.issuer, "sub", user));
		});
		assertThat(arrivals).extracting(TestReceiver.Arrival::client).containsExactlyInAnyOrder("rp-one", "rp-two");
		assertThat(RECEIVER.arrivals("rp-one", "events").get(0).authorization()).isEqualTo("Bearer rp-one-token");
		assertThat(RECEIVER.arrivals("rp-two", "events").get(0).authorization()).isNull();
		assertThat(arrivals.get(0).claims().getClaim("txn")).isEqualTo(arrivals.get(1).claims().getClaim("txn"));
		// the jti is the outbox row's id, and each delivery is in the audit log (a provision record)
		Set<String> jtis = arrivals.stream().map(TestReceiver.Arrival::jti).collect(Collectors.toSet());
		assertThat(this.jdbc.sql("SELECT id FROM events_outbox WHERE user_id = :u").param("u", user).query(String.class).set())
			.isEqualTo(jtis);
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE type = 'security-event.delivered' AND subject = :u")
			.param("u", user)
			.query(Long.class)
			.single()).isEqualTo(2L);
		assertThat(this.meters.find("tongxing.security.events.delivered").tag("event", "account-purged").counter().count())
			.isGreaterThanOrEqualTo(2);
	}

	@Test
	void nothingIsQueuedWhenTheCallersTransactionRollsBack() {
		String user = signIn(browser(), "rp-one", newUserName());
		this.tx.executeWithoutResult(status -> {
			this.events.accountPurged(user);
			status.setRollbackOnly();
		});
		assertThat(statuses(user)).isEmpty();
	}

	@Test
	void accountDisabledComesWithSessionRevokedUnderOneTxn() {
		String user = signIn(browser(), "rp-one", newUserName());
		this.tx.executeWithoutResult(status -> this.events.accountDisabled(user, "deletion-requested"));

		await().atMost(WAIT).until(() -> RECEIVER.arrivals().size() == 2);
		Map<String, TestReceiver.Arrival> byEvent = RECEIVER.arrivals()
			.stream()
			.collect(Collectors.toMap(a -> a.events().keySet().iterator().next(), a -> a));
		assertThat(byEvent).containsOnlyKeys("https://schemas.openid.net/secevent/risc/event-type/account-disabled",
				"https://schemas.openid.net/secevent/caep/event-type/session-revoked");
		TestReceiver.Arrival disabled = byEvent.get("https://schemas.openid.net/secevent/risc/event-type/account-disabled");
		TestReceiver.Arrival revoked = byEvent.get("https://schemas.openid.net/secevent/caep/event-type/session-revoked");
		assertThat(disabled.claims().getClaim("txn")).isNotNull().isEqualTo(revoked.claims().getClaim("txn"));
		// RISC defines only "hijacking" and "bulk-account" as reasons: anything else is left out
		assertThat(disabled.events().values().iterator().next()).isEqualTo(Map.of());
		@SuppressWarnings("unchecked")
		Map<String, Object> caep = (Map<String, Object>) revoked.events().values().iterator().next();
		assertThat(caep).containsKeys("event_timestamp", "reason_admin", "reason_user").containsEntry("initiating_entity", "system");

		this.tx.executeWithoutResult(status -> this.events.accountEnabled(user));
		await().atMost(WAIT).until(() -> RECEIVER.arrivals().size() == 3);
		assertThat(RECEIVER.arrivals().get(2).events())
			.containsOnlyKeys("https://schemas.openid.net/secevent/risc/event-type/account-enabled");
	}

	@Test
	void sessionRevokedGoesToTheOneClient() {
		TestBrowser browser = browser();
		String user = signIn(browser, "rp-one", newUserName());
		signIn(browser, "rp-two", null);
		this.tx.executeWithoutResult(status -> this.events.sessionRevoked(user, "rp-two"));

		await().atMost(WAIT).until(() -> statuses(user).equals(Map.of("delivered", 1L)));
		assertThat(RECEIVER.arrivals()).singleElement().satisfies(a -> {
			assertThat(a.client()).isEqualTo("rp-two");
			assertThat(a.error()).isNull();
			assertThat(a.events()).containsOnlyKeys("https://schemas.openid.net/secevent/caep/event-type/session-revoked");
		});
	}

	@Test
	void serverErrorsAndTimeoutsAreRetriedWithTheSameJti() {
		String user = signIn(browser(), "rp-one", newUserName());
		RECEIVER.script("rp-one", "events", TestReceiver.Script.status(503),
				TestReceiver.Script.hold(Duration.ofMillis(2500)), TestReceiver.Script.status(503));
		double retriesBefore = failed("retry");
		this.tx.executeWithoutResult(status -> this.events.accountPurged(user));

		await().atMost(WAIT).until(() -> statuses(user).equals(Map.of("delivered", 1L)));
		List<TestReceiver.Arrival> arrivals = RECEIVER.arrivals("rp-one", "events");
		assertThat(arrivals).hasSize(4);
		assertThat(arrivals).extracting(TestReceiver.Arrival::jti).containsOnly(arrivals.get(0).jti());
		// the same claims, signed by the same key: the very same token each time
		assertThat(arrivals).extracting(TestReceiver.Arrival::token).containsOnly(arrivals.get(0).token());
		assertThat(RECEIVER.effects()).containsExactly(arrivals.get(0).jti()); // de-duplicated: one effect
		assertThat(this.jdbc.sql("SELECT attempts FROM events_outbox WHERE user_id = :u").param("u", user).query(Integer.class).single())
			.isEqualTo(4);
		assertThat(failed("retry") - retriesBefore).isEqualTo(3);
	}

	@Test
	void aBadRequestAnswerIsFinal() {
		String user = signIn(browser(), "rp-one", newUserName());
		RECEIVER.script("rp-one", "events", TestReceiver.Script.status(400));
		this.tx.executeWithoutResult(status -> this.events.accountPurged(user));

		await().atMost(WAIT).until(() -> statuses(user).equals(Map.of("rejected", 1L)));
		Map<String, Object> row = this.jdbc
			.sql("SELECT attempts, last_http_status, last_error FROM events_outbox WHERE user_id = :u")
			.param("u", user)
			.query()
			.singleRow();
		assertThat(row.get("attempts")).isEqualTo(1);
		assertThat(row.get("last_http_status")).isEqualTo(400);
		assertThat(row.get("last_error")).isEqualTo("invalid_audience: not for us");
		sleep(Duration.ofSeconds(1)); // several poll intervals and backoffs: nothing is sent again
		assertThat(RECEIVER.arrivals()).hasSize(1);
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE type = 'security-event.rejected' AND subject = :u")
			.param("u", user)
			.query(Long.class)
			.single()).isEqualTo(1L);
	}

	@Test
	void aReceiverOutsideTheAllowedRegionsGetsNothingAndTheRefusalIsAudited() {
		TestBrowser browser = browser();
		String user = signIn(browser, "rp-abroad", newUserName());
		signIn(browser, "rp-one", null);
		this.tx.executeWithoutResult(status -> this.events.accountPurged(user));

		await().atMost(WAIT).until(() -> statuses(user).equals(Map.of("delivered", 1L, "refused", 1L)));
		assertThat(RECEIVER.arrivals()).extracting(TestReceiver.Arrival::client).containsExactly("rp-one");
		assertThat(RECEIVER.requestsStarted()).noneMatch(path -> path.startsWith("/rp-abroad"));
		assertThat(this.jdbc.sql("SELECT details FROM audit_entry WHERE type = 'residency.delivery-refused' AND subject = :u")
			.param("u", user)
			.query(String.class)
			.single()).contains("rp-abroad").contains("us");
	}

	@Test
	void deadLetteredAfterTheLastAttemptThenSentAgainByAnOperator() {
		String user = signIn(browser(), "rp-two", newUserName());
		RECEIVER.script("rp-two", "events", TestReceiver.Script.status(500), TestReceiver.Script.status(500),
				TestReceiver.Script.status(500), TestReceiver.Script.status(500));
		this.tx.executeWithoutResult(status -> this.events.accountPurged(user));

		await().atMost(WAIT).until(() -> statuses(user).equals(Map.of("dead", 1L)));
		String jti = this.jdbc.sql("SELECT id FROM events_outbox WHERE user_id = :u").param("u", user).query(String.class).single();
		OAuthClient admin = new OAuthClient(this.issuer);
		assertThat(admin.get("/admin/api/events?status=dead", null).status()).isEqualTo(401);
		OAuthClient.Reply dead = adminCall("GET", "/admin/api/events?status=dead");
		assertThat(dead.status()).isEqualTo(200);
		assertThat(dead.body()).contains(jti).contains("\"last_http_status\":500");
		assertThat(adminCall("GET", "/admin/api/events?status=nonsense").status()).isEqualTo(400);
		assertThat(adminCall("POST", "/admin/api/events/no-such-id/retry").status()).isEqualTo(404);

		OAuthClient.Reply retried = adminCall("POST", "/admin/api/events/" + jti + "/retry");
		assertThat(retried.status()).isEqualTo(200);
		assertThat(retried.json()).containsEntry("status", "pending").containsEntry("attempts", 0L);
		await().atMost(WAIT).until(() -> statuses(user).equals(Map.of("delivered", 1L)));
		assertThat(RECEIVER.arrivals()).hasSize(5).extracting(TestReceiver.Arrival::jti).containsOnly(jti);
		assertThat(adminCall("POST", "/admin/api/events/" + jti + "/retry").status()).isEqualTo(409);
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE type IN ('security-event.dead-lettered',"
				+ " 'admin.security-event.retried') AND subject = :u")
			.param("u", user)
			.query(Long.class)
			.single()).isEqualTo(2L);
	}

	@Test
	void phoneRebindingIsAnIdentifierChange() {
		String user = signIn(browser(), "rp-one", newUserName());
		String first = "+86138" + String.format("%08d", (long) (Math.random() * 1e8));
		String second = "+86139" + String.format("%08d", (long) (Math.random() * 1e8));
		this.accounts.link(user, new IdentityKey("phone", first), "phone");
		assertThat(statuses(user)).isEmpty(); // a first phone is no change

		this.accounts.unlink(user, List.of(new IdentityKey("phone", first)));
		this.accounts.link(user, new IdentityKey("phone", second), "phone");
		await().atMost(WAIT).until(() -> statuses(user).equals(Map.of("delivered", 1L)));
		TestReceiver.Arrival arrival = RECEIVER.arrivals().get(0);
		assertThat(arrival.error()).isNull();
		assertThat(arrival.events())
			.isEqualTo(Map.of("https://schemas.openid.net/secevent/risc/event-type/identifier-changed", Map.of()));
		// no personal data in the token, nor in the outbox
		assertThat(arrival.claims().toString()).doesNotContain(second.substring(3)).doesNotContain(first.substring(3));
		assertThat(this.jdbc.sql("SELECT claims FROM events_outbox WHERE user_id = :u").param("u", user).query(String.class).single())
			.doesNotContain(second.substring(3));
	}

	@Test
	void backChannelLogoutReachesEveryClientWithALiveSession() {
		TestBrowser browser = browser();
		String user = signIn(browser, "rp-one", newUserName());
		signIn(browser, "rp-two", null);
		this.tx.executeWithoutResult(status -> this.events.logoutEverywhere(user));

		await().atMost(WAIT).until(() -> statuses(user).equals(Map.of("delivered", 2L)));
		TestReceiver.Arrival one = RECEIVER.arrivals("rp-one", "logout").get(0);
		TestReceiver.Arrival two = RECEIVER.arrivals("rp-two", "logout").get(0);
		for (TestReceiver.Arrival logout : List.of(one, two)) {
			assertThat(logout.error()).isNull(); // verified: signature, typ logout+jwt, iss, aud, iat, jti, events, no nonce
			assertThat(logout.contentType()).isEqualTo("application/x-www-form-urlencoded");
			assertThat(logout.header()).containsEntry("typ", "logout+jwt");
			assertThat(logout.claims().getSubject()).isEqualTo(user);
			assertThat(logout.events()).isEqualTo(Map.of("http://schemas.openid.net/event/backchannel-logout", Map.of()));
			assertThat(logout.claims().getExpirationTime()).isAfter(logout.claims().getIssueTime());
		}
		assertThat(one.claims().getClaim("sid")).isNull(); // sub alone: every session of the user at rp-one
		assertThat(two.claims().getClaim("sid")).isNotNull(); // rp-two requires the session id
	}

	@Test
	void discoveryAdvertisesBackChannelLogout() {
		Map<String, Object> metadata = new OAuthClient(this.issuer).get("/.well-known/openid-configuration", null).json();
		assertThat(metadata).containsEntry("backchannel_logout_supported", true)
			.containsEntry("backchannel_logout_session_supported", true);
	}

	@Test
	void anOperatorCanSendAVerificationEvent() {
		OAuthClient.Reply queued = adminCall("POST", "/admin/api/events/verification?client=rp-two&state=check-123");
		assertThat(queued.status()).isEqualTo(202);
		String jti = queued.string("jti");
		await().atMost(WAIT).until(() -> RECEIVER.effects().contains(jti));
		TestReceiver.Arrival arrival = RECEIVER.arrivals().get(0);
		assertThat(arrival.events()).isEqualTo(
				Map.of("https://schemas.openid.net/secevent/ssf/event-type/verification", Map.of("state", "check-123")));
		assertThat(arrival.claims().getClaim("sub_id")).isEqualTo(Map.of("format", "opaque", "id", "rp-two"));
		assertThat(adminCall("POST", "/admin/api/events/verification?client=rp-quiet").status()).isEqualTo(404);
	}

	private Map<String, Long> statuses(String user) {
		return this.jdbc.sql("SELECT status, COUNT(*) FROM events_outbox WHERE user_id = :u GROUP BY status")
			.param("u", user)
			.query((rs, i) -> Map.entry(rs.getString(1), rs.getLong(2)))
			.list()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
	}

	private double failed(String outcome) {
		return this.meters.find("tongxing.security.events.failed")
			.tag("outcome", outcome)
			.counters()
			.stream()
			.mapToDouble(c -> c.count())
			.sum();
	}

	private OAuthClient.Reply adminCall(String method, String path) {
		try {
			var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(this.issuer + path))
				.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("admin:admin".getBytes()))
				.method(method, java.net.http.HttpRequest.BodyPublishers.noBody())
				.build();
			var response = java.net.http.HttpClient.newHttpClient()
				.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
			Map<String, Object> json = response.body().startsWith("{")
					? com.nimbusds.jose.util.JSONObjectUtils.parse(response.body()) : null;
			return new OAuthClient.Reply(response.statusCode(), json, response.body(), response.headers());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
