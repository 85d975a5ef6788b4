package dev.tongxing.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tongxing.server.deletion.AccountDeletion;
import dev.tongxing.server.testing.MutableClock;
import dev.tongxing.server.testing.TestBrowser;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The apps hear who deleted an account: the person's own deletion (自助注销, on the page) reaches them as
 * user-initiated in RISC {@code account-disabled} and {@code account-purged} and in the CAEP
 * {@code session-revoked} sibling ({@code initiating_entity: user}, CAEP 1.0's common claim; RISC defines no
 * {@code reason} for it, so none is sent); an operator's deletion says {@code admin}, the retention policy's
 * {@code policy}. The initiator is stored with the request, so the purge days later still knows it.
 */
class RiscUserInitiatedDeletionTest extends EventsGatewayTest {

	static final String RISC = "https://schemas.openid.net/secevent/risc/event-type/";

	static final String CAEP = "https://schemas.openid.net/secevent/caep/event-type/";

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
	void thePersonsOwnDeletionIsSentAsUserInitiated() {
		TestBrowser browser = browser();
		String user = signIn(browser, "rp-one", newUserName());
		signIn(browser, "rp-two", null);

		HttpResponse<String> page = browser.get("/account/delete");
		assertThat(page.statusCode()).as("the deletion page").isEqualTo(200);
		HttpResponse<String> asked = browser.submit(page, "/account/delete", Map.of("confirm", "yes"));
		assertThat(asked.statusCode()).isEqualTo(200);
		assertThat(this.jdbc.sql("SELECT initiated_by FROM deletion_request WHERE user_id = :u")
			.param("u", user)
			.query(String.class)
			.single()).isEqualTo("user");

		await().atMost(Duration.ofSeconds(20)).until(() -> sets(user, RISC + "account-disabled").size() == 2
				&& sets(user, CAEP + "session-revoked").size() == 2);
		for (TestReceiver.Arrival disabled : sets(user, RISC + "account-disabled")) {
			assertThat(disabled.error()).isNull();
			assertThat(event(disabled)).containsEntry("initiating_entity", "user")
				.containsKeys("event_timestamp", "reason_admin", "reason_user")
				.doesNotContainKey("reason"); // RISC's reasons are hijacking and bulk-account only
		}
		assertThat(sets(user, CAEP + "session-revoked"))
			.allSatisfy(revoked -> assertThat(event(revoked)).containsEntry("initiating_entity", "user"));

		this.clock.advance(Duration.ofDays(8)); // past the cooling-off
		long purgedFrom = this.clock.instant().getEpochSecond();
		assertThat(this.deletion.completeDue()).isGreaterThanOrEqualTo(1);
		long purgedBy = this.clock.instant().getEpochSecond();
		await().atMost(Duration.ofSeconds(20)).until(() -> sets(user, RISC + "account-purged").size() == 2);
		assertThat(sets(user, RISC + "account-purged")).extracting(TestReceiver.Arrival::client)
			.containsExactlyInAnyOrder("rp-one", "rp-two");
		for (TestReceiver.Arrival purged : sets(user, RISC + "account-purged")) {
			assertThat(purged.error()).isNull(); // signed, typ, iss, aud, no sub, no exp
			Map<String, Object> event = event(purged);
			// when it was purged: on the (advanced) clock, not when it was asked for
			assertThat(((Number) event.get("event_timestamp")).longValue()).isBetween(purgedFrom, purgedBy);
			assertThat(event).containsEntry("initiating_entity", "user")
				.containsEntry("reason_admin", Map.of("en", "The user deleted their account"))
				.containsKey("reason_user");
		}
	}

	@Test
	void anOperatorsDeletionIsSentAsAdminInitiated() {
		String user = signIn(browser(), "rp-one", newUserName());
		this.deletion.request(user, "operator:ops-1", SecurityEvents.Initiator.ADMIN);
		await().atMost(Duration.ofSeconds(20)).until(() -> sets(user, RISC + "account-disabled").size() == 1);
		assertThat(event(sets(user, RISC + "account-disabled").get(0))).containsEntry("initiating_entity", "admin");

		this.clock.advance(Duration.ofDays(8));
		this.deletion.completeDue();
		await().atMost(Duration.ofSeconds(20)).until(() -> sets(user, RISC + "account-purged").size() == 1);
		assertThat(event(sets(user, RISC + "account-purged").get(0))).containsEntry("initiating_entity", "admin")
			.containsEntry("reason_admin", Map.of("en", "An operator deleted the account"));
	}

	@Test
	void theRetentionPolicysDeletionIsSentAsPolicyInitiated() {
		String user = signIn(browser(), "rp-two", newUserName());
		// the spelling the withdrawn-consent retention uses; a system actor is the gateway's own rule
		this.deletion.request(user, "system:withdrawn-consent-retention");
		await().atMost(Duration.ofSeconds(20)).until(() -> sets(user, RISC + "account-disabled").size() == 1);
		assertThat(event(sets(user, RISC + "account-disabled").get(0))).containsEntry("initiating_entity", "policy");

		this.clock.advance(Duration.ofDays(8));
		this.deletion.completeDue();
		await().atMost(Duration.ofSeconds(20)).until(() -> sets(user, RISC + "account-purged").size() == 1);
		assertThat(event(sets(user, RISC + "account-purged").get(0))).containsEntry("initiating_entity", "policy");
	}

	/** The SETs of one event type that reached the receiver for this user (by the sub each app knows). */
	private List<TestReceiver.Arrival> sets(String user, String eventType) {
		return RECEIVER.arrivals()
			.stream()
			.filter(a -> "events".equals(a.kind()) && a.events().containsKey(eventType))
			.filter(a -> a.claims().getClaim("sub_id") instanceof Map<?, ?> subId && user.equals(subId.get("sub")))
			.toList();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> event(TestReceiver.Arrival arrival) {
		return (Map<String, Object>) arrival.events().values().iterator().next();
	}

}
