package dev.tongxing.server.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.deletion.AccountDeletion;
import dev.tongxing.server.testing.GatewayTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * PIPL Art. 47: an account whose policy consent was withdrawn and not renewed goes through deletion once the
 * configured time has passed (30 days by default), the deletion's cooling-off being the notice; renewing in
 * time keeps it.
 */
class Pipl47WithdrawnConsentRetentionTest extends GatewayTest {

	@Autowired
	WithdrawnConsentRetention retention;

	@Autowired
	ConsentRecords records;

	@Autowired
	PrivacyPolicies policies;

	@Autowired
	AccountService accounts;

	@Autowired
	AccountDeletion deletion;

	@Autowired
	JdbcClient jdbc;

	String account() {
		String user = this.accounts.signIn(new ExternalIdentity("dev",
				List.of(new IdentityKey("dev", "r-" + UUID.randomUUID())), ExternalIdentity.Profile.EMPTY)).id();
		decide(user, ConsentRecords.State.GIVEN);
		return user;
	}

	void decide(String user, ConsentRecords.State state) {
		this.records.record(ConsentRecords.Decision.of(user, this.policies.current(), state)
			.purposes(ConsentRecords.Purpose.LOGIN)
			.by(ConsentRecords.Method.DIALOG)
			.build());
	}

	@Test
	void anAccountWhoseConsentWasWithdrawnAndNotRenewedIsDeletedAfterThePeriod() {
		String withdrawn = account();
		decide(withdrawn, ConsentRecords.State.WITHDRAWN);
		String renewed = account();
		decide(renewed, ConsentRecords.State.WITHDRAWN);
		decide(renewed, ConsentRecords.State.GIVEN);
		String consenting = account();

		Instant now = Instant.now();
		// only this test's people: the shared gateway holds other tests' accounts too
		java.util.function.Predicate<String> ours = java.util.Set.of(withdrawn, renewed, consenting)::contains;
		// within the period: nothing happens
		this.retention.requestDeletions(now.plus(Duration.ofDays(29)), ours);
		assertThat(this.deletion.pending(withdrawn)).isEmpty();

		assertThat(this.retention.requestDeletions(now.plus(Duration.ofDays(31)), ours)).isEqualTo(1);
		assertThat(this.deletion.pending(withdrawn)).isPresent();
		assertThat(this.deletion.pending(renewed)).isEmpty();
		assertThat(this.deletion.pending(consenting)).isEmpty();
		// the rule is the actor of the deletion's audit entries
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE subject = :s AND actor = :a")
			.param("s", withdrawn)
			.param("a", WithdrawnConsentRetention.ACTOR)
			.query(Long.class)
			.single()).isPositive();

		// once requested, it is not requested again
		assertThat(this.retention.requestDeletions(now.plus(Duration.ofDays(32)), ours)).isZero();
	}

}
