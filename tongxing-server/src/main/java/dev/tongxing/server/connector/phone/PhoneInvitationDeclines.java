package dev.tongxing.server.connector.phone;

import dev.tongxing.server.kernel.ErasureParticipant;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The {@code phone_invitation_decline} table, its only user: each account's last "Not now" to the phone-binding
 * invitation and how many there were. The invitation waits {@link PhoneInvitationProperties#coolDown()} after
 * one; each is counted in {@code tongxing_phone_invitation_declined_total}. Erased with the account.
 */
@Component
class PhoneInvitationDeclines implements ErasureParticipant {

	private final JdbcClient jdbc;

	private final Clock clock;

	private final PhoneInvitationProperties properties;

	private final Counter declined;

	PhoneInvitationDeclines(JdbcClient jdbc, Clock clock, PhoneInvitationProperties properties, MeterRegistry meters) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.properties = properties;
		this.declined = Counter.builder("tongxing.phone.invitation.declined")
			.description("\"Not now\" answers to the invitation to bind a phone after a WeChat sign-in")
			.register(meters);
	}

	/** Whether the person said "Not now" less than the cool-down ago. */
	boolean coolingDown(String userId) {
		return lastDeclined(userId)
			.filter(at -> at.plus(this.properties.coolDown()).isAfter(this.clock.instant()))
			.isPresent();
	}

	Optional<Instant> lastDeclined(String userId) {
		return this.jdbc.sql("SELECT declined_at FROM phone_invitation_decline WHERE user_id = :u")
			.param("u", userId)
			.query((rs, i) -> rs.getObject(1, OffsetDateTime.class).toInstant())
			.optional();
	}

	int declines(String userId) {
		return this.jdbc.sql("SELECT declines FROM phone_invitation_decline WHERE user_id = :u")
			.param("u", userId)
			.query(Integer.class)
			.optional()
			.orElse(0);
	}

	/** Stores a "Not now" (the newest one and the count) and counts it. */
	@Transactional
	void decline(String userId) {
		OffsetDateTime now = this.clock.instant().atOffset(ZoneOffset.UTC);
		int updated = this.jdbc.sql("""
				UPDATE phone_invitation_decline SET declined_at = :at, declines = declines + 1 WHERE user_id = :u""")
			.param("at", now)
			.param("u", userId)
			.update();
		if (updated == 0) {
			this.jdbc.sql("INSERT INTO phone_invitation_decline (user_id, declined_at, declines) VALUES (:u, :at, 1)")
				.param("u", userId)
				.param("at", now)
				.update();
		}
		this.declined.increment();
	}

	@Override
	public String name() {
		return "phone-invitation-declines";
	}

	@Override
	public void erase(String userId) {
		this.jdbc.sql("DELETE FROM phone_invitation_decline WHERE user_id = :u").param("u", userId).update();
	}

}
