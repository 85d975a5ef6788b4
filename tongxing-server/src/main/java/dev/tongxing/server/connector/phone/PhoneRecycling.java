package dev.tongxing.server.connector.phone;

import dev.tongxing.server.account.AccountLinking;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.account.IdentifierRecycling;
import dev.tongxing.server.audit.AuditTrail;
import dev.tongxing.server.audit.AuditTypes;
import dev.tongxing.server.crypto.PersonalDataCipher;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * When a phone number bound to an account has passed to someone else (二次号): the carrier said so
 * ({@code phone_recycled_number}, a day after the binding was made), or the account has not been used for
 * {@link PhoneRecycledProperties#inactiveAfter()}: no sign-in, and no token to any app. The account store then moves the number to whoever proves it.
 */
@Component
class PhoneRecycling implements IdentifierRecycling {

	static final String CARRIER_SIGNAL = "carrier-signal";

	static final String INACTIVE = "inactive";

	/** The keyed hash's purpose: this table cannot be joined with the accounts' lookup hashes. */
	private static final String HASH_PURPOSE = "phone-recycled";

	private final JdbcClient jdbc;

	private final PersonalDataCipher cipher;

	private final PhoneRecycledProperties properties;

	private final Clock clock;

	private final MeterRegistry meters;

	private final AuditTrail trail;

	PhoneRecycling(JdbcClient jdbc, PersonalDataCipher cipher, PhoneRecycledProperties properties, Clock clock,
			MeterRegistry meters, AuditTrail trail) {
		this.trail = trail;
		this.jdbc = jdbc;
		this.cipher = cipher;
		this.properties = properties;
		this.clock = clock;
		this.meters = meters;
	}

	@Override
	public boolean covers(String provider) {
		return PhoneLoginMethod.METHOD.equals(provider);
	}

	@Override
	public Optional<Recycled> recycled(IdentityKey key, Binding binding) {
		Optional<LocalDate> reported = lastRecycledOn(key.key());
		if (reported.isPresent()
				&& binding.boundAt().isBefore(reported.get().atStartOfDay(this.properties.carrierZone()).toInstant())) {
			return Optional.of(new Recycled(CARRIER_SIGNAL, AccountLinking.maskPhone(key.key())));
		}
		Instant idleSince = this.clock.instant().minus(this.properties.inactiveAfter());
		if (this.properties.inactivityRule() && binding.lastSignInAt().isBefore(idleSince)
				&& !tokensIssuedSince(binding.userId(), idleSince)) {
			return Optional.of(new Recycled(INACTIVE, AccountLinking.maskPhone(key.key())));
		}
		return Optional.empty();
	}

	/**
	 * Whether an app got tokens for the account since then: an app that keeps refreshing them is in use without
	 * signing in again, and its user still holds their number as far as anyone knows (the audit log records every
	 * token response, and keeps it longer than any idle period).
	 */
	private boolean tokensIssuedSince(String userId, Instant since) {
		return !this.trail.latest(userId, List.of(AuditTypes.TOKEN_ISSUED), since, 1).isEmpty();
	}

	/** The latest day the carrier said this number (E.164) was recycled. */
	Optional<LocalDate> lastRecycledOn(String e164) {
		return this.jdbc.sql("SELECT MAX(recycled_on) FROM phone_recycled_number WHERE number_hash = :h")
			.param("h", hash(e164))
			.query((rs, i) -> Optional.ofNullable(rs.getObject(1, LocalDate.class)))
			.single();
	}

	/**
	 * Records the carrier's word, in the caller's transaction.
	 * @return false when it was known already
	 */
	boolean report(String e164, LocalDate recycledOn, String reportedBy) {
		String hash = hash(e164);
		long known = this.jdbc
			.sql("SELECT COUNT(*) FROM phone_recycled_number WHERE number_hash = :h AND recycled_on = :d")
			.param("h", hash)
			.param("d", recycledOn)
			.query(Long.class)
			.single();
		if (known > 0) {
			return false;
		}
		this.jdbc.sql("""
				INSERT INTO phone_recycled_number (number_hash, recycled_on, reported_at, reported_by)
				VALUES (:h, :d, :at, :by)""")
			.param("h", hash)
			.param("d", recycledOn)
			.param("at", Instant.now(this.clock).atOffset(ZoneOffset.UTC))
			.param("by", reportedBy)
			.update();
		this.meters.counter("tongxing.phone.recycled.reported").increment();
		return true;
	}

	LocalDate today() {
		return LocalDate.now(this.clock.withZone(this.properties.carrierZone()));
	}

	private String hash(String e164) {
		return this.cipher.lookupHash(HASH_PURPOSE, e164);
	}

}
