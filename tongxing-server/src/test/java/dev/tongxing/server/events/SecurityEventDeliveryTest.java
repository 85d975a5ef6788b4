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
	void aMergedAccountsAppsHearOfTheSurvivorWithTheSubTheyKnew() {
		String survivor = signIn(browser(), "rp-one", newUserName());
		String merged = signIn(browser(), "rp-two", newUserName());
		this.accounts.merge(survivor, merged, "test");
		assertThat(this.events.recipients(survivor)).containsExactlyInAnyOrder("rp-one", "rp-two");

		this.tx.executeWithoutResult(status -> this.events.accountPurged(survivor));
		await().atMost(WAIT).until(() -> statuses(survivor).equals(Map.of("delivered", 2L)));
		assertThat(RECEIVER.arrivals()
			.stream()
			.collect(Collectors.toMap(TestReceiver.Arrival::client, a -> ((Map<?, ?>) a.claims().getClaim("sub_id")).get("sub"))))
			.isEqualTo(Map.of("rp-one", survivor, "rp-two", merged));
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
	void aLaterEventNeverOvertakesAnEarlierOneBeingRetried() {
		String user = signIn(browser(), "rp-one", newUserName());
		RECEIVER.script("rp-one", "events", TestReceiver.Script.status(503), TestReceiver.Script.status(503));
		this.tx.executeWithoutResult(status -> this.events.accountDisabled(user, "hijacking"));
		this.tx.executeWithoutResult(status -> this.events.accountEnabled(user));

		await().atMost(WAIT).until(() -> statuses(user).equals(Map.of("delivered", 3L)));
		List<String> order = RECEIVER.arrivals()
			.stream()
			.map(a -> EventTypes.shortName(a.events().keySet().iterator().next()))
			.toList();
		assertThat(order).containsExactly("account-disabled", "account-disabled", "account-disabled", "session-revoked",
				"account-enabled");
		assertThat(RECEIVER.arrivals().get(0).events().values().iterator().next())
			.isEqualTo(Map.of("reason", "hijacking")); // a reason RISC defines is passed on
	}

	@Test
	@SuppressWarnings("unchecked")
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

		// the person's copy of their data names the apps that received it, and what they were told
		var download = browser.get("/account/export");
		assertThat(download.statusCode()).isEqualTo(200);
		Map<String, Object> section = json(download.body()).get("security_events") instanceof Map<?, ?> m
				? (Map<String, Object>) m : Map.of();
		assertThat((List<Map<String, Object>>) section.get("recipients")).extracting(r -> r.get("client_id"))
			.containsExactlyInAnyOrder("rp-one", "rp-two");
		assertThat((List<Map<String, Object>>) section.get("events")).singleElement()
			.satisfies(e -> assertThat(e).containsEntry("event", "session-revoked")
				.containsEntry("client_id", "rp-two")
				.containsEntry("status", "delivered"));
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
		await().atMost(WAIT).until(() -> this.meters.get("tongxing.security.events.dead").gauge().value() >= 1);
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
	void anOperatorCannotRetryAnEventThatALaterOneOvertook() {
		String user = signIn(browser(), "rp-two", newUserName());
		RECEIVER.script("rp-two", "events", TestReceiver.Script.status(500), TestReceiver.Script.status(500),
				TestReceiver.Script.status(500), TestReceiver.Script.status(500));
		this.tx.executeWithoutResult(status -> this.events.accountDisabled(user, null));
		await().atMost(WAIT).until(() -> statuses(user).equals(Map.of("dead", 1L, "delivered", 1L)));
		this.tx.executeWithoutResult(status -> this.events.accountEnabled(user));
		await().atMost(WAIT).until(() -> statuses(user).equals(Map.of("dead", 1L, "delivered", 2L)));

		String disabled = this.jdbc.sql("SELECT id FROM events_outbox WHERE user_id = :u AND status = 'dead'")
			.param("u", user)
			.query(String.class)
			.single();
		// account-enabled was delivered after it: account-disabled now would disable an active account
		assertThat(adminCall("POST", "/admin/api/events/" + disabled + "/retry").status()).isEqualTo(409);
		assertThat(statuses(user)).isEqualTo(Map.of("dead", 1L, "delivered", 2L));
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
		await().atMost(WAIT).until(() -> statuses(user).equals(Map.of("delivered", 2L)));
		TestReceiver.Arrival changed = RECEIVER.arrivals().get(0);
		assertThat(changed.error()).isNull();
		assertThat(changed.events())
			.isEqualTo(Map.of("https://schemas.openid.net/secevent/risc/event-type/identifier-changed", Map.of()));
		TestReceiver.Arrival credential = RECEIVER.arrivals().get(1);
		assertThat(credential.error()).isNull();
		@SuppressWarnings("unchecked")
		Map<String, Object> change = (Map<String, Object>) credential.events()
			.get("https://schemas.openid.net/secevent/caep/event-type/credential-change");
		assertThat(change).containsEntry("credential_type", "phone-sms")
			.containsEntry("change_type", "update")
			.containsKey("reason_admin");
		assertThat(credential.claims().getClaim("txn")).isEqualTo(changed.claims().getClaim("txn"));
		// no personal data in the tokens, nor in the outbox
		for (TestReceiver.Arrival arrival : RECEIVER.arrivals()) {
			assertThat(arrival.token() + arrival.claims()).doesNotContain(second.substring(3)).doesNotContain(first.substring(3));
		}
		assertThat(this.jdbc.sql("SELECT claims FROM events_outbox WHERE user_id = :u").param("u", user).query(String.class).list())
			.allSatisfy(claims -> assertThat(claims).doesNotContain(second.substring(3)).doesNotContain(first.substring(3)));
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
	void discoveryAdvertisesBackChannelLogoutAndTheSsfTransmitter() {
		Map<String, Object> metadata = new OAuthClient(this.issuer).get("/.well-known/openid-configuration", null).json();
		assertThat(metadata).containsEntry("backchannel_logout_supported", true)
			.containsEntry("backchannel_logout_session_supported", true);
		// SSF transmitter metadata, public; its issuer is byte-identical to the SETs' iss
		OAuthClient.Reply ssf = new OAuthClient(this.issuer).get("/.well-known/ssf-configuration", null);
		assertThat(ssf.status()).isEqualTo(200);
		assertThat(ssf.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
		assertThat(ssf.json()).containsEntry("spec_version", "1_0")
			.containsEntry("issuer", this.issuer)
			.containsEntry("jwks_uri", this.issuer + "/oauth2/jwks")
			.containsEntry("delivery_methods_supported", List.of("urn:ietf:rfc:8935"));
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

	private static Map<String, Object> json(String body) {
		try {
			return com.nimbusds.jose.util.JSONObjectUtils.parse(body);
		}
		catch (java.text.ParseException ex) {
			throw new IllegalStateException(ex);
		}
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
