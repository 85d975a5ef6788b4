package dev.tongxing.server.minors;

import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.audit.AuditTypes;
import dev.tongxing.server.consent.ConsentRecords;
import dev.tongxing.server.consent.PrivacyPolicies;
import dev.tongxing.server.kernel.ErasureParticipant;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The minor marker of each account (the {@code minor_account} table, its only user): the age bracket, where it
 * came from, and for a child under 14 the guardian's consent (PIPL Art. 31; 未成年人保护法 Art. 72). A child
 * under 14 without it stays restricted: signed in, but sent to the guardian step, and no app gets tokens.
 */
@Service
public class Minors implements ErasureParticipant {

	/** A person's state as far as age goes. */
	public record Standing(AgeBracket bracket, String source, String guardianActor) {

		public boolean waitingForGuardian() {
			return this.bracket == AgeBracket.UNDER_14 && this.guardianActor == null;
		}

	}

	private final JdbcClient jdbc;

	private final Clock clock;

	private final MinorsProperties properties;

	private final ConsentRecords consents;

	private final PrivacyPolicies policies;

	private final ObjectProvider<VerifiedAgeSource> verified;

	private final AuditLog audit;

	Minors(JdbcClient jdbc, Clock clock, MinorsProperties properties, ConsentRecords consents,
			PrivacyPolicies policies, ObjectProvider<VerifiedAgeSource> verified, MinorClientSettings clients,
			AuditLog audit) {
		this.audit = audit;
		this.jdbc = jdbc;
		this.clock = clock;
		this.properties = properties;
		this.consents = consents;
		this.policies = policies;
		this.verified = verified;
		if (properties.ageCheck() == MinorsProperties.AgeCheck.VERIFIED && verified.getIfAvailable() == null) {
			throw new IllegalStateException(
					"tongxing.minors.age-check=verified needs a VerifiedAgeSource bean (a real-name or identity service)");
		}
		if (properties.ageCheck() == MinorsProperties.AgeCheck.OFF && clients.anyAdultsOnly()) {
			throw new IllegalStateException("a client is adults-only but tongxing.minors.age-check is off: "
					+ "nobody's age would be known, so nobody could use it");
		}
	}

	public MinorsProperties.AgeCheck ageCheck() {
		return this.properties.ageCheck();
	}

	public Optional<Standing> standing(String userId) {
		return this.jdbc.sql("SELECT age_bracket, source, guardian_actor FROM minor_account WHERE user_id = :u")
			.param("u", userId)
			.query((rs, i) -> new Standing(AgeBracket.of(rs.getString(1)).orElseThrow(), rs.getString(2),
					rs.getString(3)))
			.optional();
	}

	/** The verified source's answer, stored when there is one. */
	Optional<AgeBracket> verify(String userId) {
		VerifiedAgeSource source = this.verified.getObject();
		Optional<AgeBracket> bracket = source.bracket(userId);
		bracket.ifPresent(b -> record(userId, b, "verified:" + source.name()));
		return bracket;
	}

	/** The person's own answer; a bracket once recorded is kept (a correction goes through support). */
	@Transactional
	public void declare(String userId, AgeBracket bracket) {
		record(userId, bracket, "self-declared");
	}

	private void record(String userId, AgeBracket bracket, String source) {
		if (standing(userId).isPresent()) {
			return;
		}
		this.jdbc.sql("""
				INSERT INTO minor_account (user_id, age_bracket, source, declared_at)
				VALUES (:u, :b, :s, :at)""")
			.param("u", userId)
			.param("b", bracket.value())
			.param("s", source)
			.param("at", now())
			.update();
	}

	/**
	 * A guardian, proven by a code sent to their phone, consents for the child: the consent record names the
	 * guardian as the actor, and the account is no longer restricted.
	 * @param guardianActor {@code guardian:<keyed digest of the guardian's phone>}
	 */
	@Transactional
	public void guardianConsented(String childId, String guardianActor) {
		this.jdbc.sql("""
				UPDATE minor_account SET guardian_actor = :g, guardian_consented_at = :at
				WHERE user_id = :u AND age_bracket = :b""")
			.param("g", guardianActor)
			.param("at", now())
			.param("u", childId)
			.param("b", AgeBracket.UNDER_14.value())
			.update();
		this.consents.record(ConsentRecords.Decision.of(childId, this.policies.current(), ConsentRecords.State.GIVEN)
			.purposes(ConsentRecords.Purpose.CHILD_ACCOUNT, ConsentRecords.Purpose.LOGIN)
			.dataCategories(List.of(ConsentRecords.Categories.LOGIN_IDENTIFIERS, ConsentRecords.Categories.PROFILE))
			.guardian(guardianActor)
			.by(ConsentRecords.Method.GUARDIAN_PHONE_CODE)
			.build());
	}

	/** The children whose guardian is {@code guardianActor}. */
	public List<String> childrenOf(String guardianActor) {
		return this.jdbc.sql("SELECT user_id FROM minor_account WHERE guardian_actor = :g ORDER BY guardian_consented_at")
			.param("g", guardianActor)
			.query(String.class)
			.list();
	}

	/**
	 * The guardian corrects the child's age bracket (未成年人网络保护条例 Art. 34), recorded in the audit log with the
	 * guardian as the actor. The guardian's consent stays on record whatever the new bracket.
	 */
	@Transactional
	public void correct(String childId, AgeBracket bracket, String guardianActor) {
		int updated = this.jdbc.sql("""
				UPDATE minor_account SET age_bracket = :b, source = 'corrected-by-guardian'
				WHERE user_id = :u AND guardian_actor = :g""")
			.param("b", bracket.value())
			.param("u", childId)
			.param("g", guardianActor)
			.update();
		if (updated == 1) {
			this.audit.record(AuditEntry.of(AuditTypes.PERSONAL_DATA_CORRECTED)
				.actor(guardianActor)
				.subject(childId)
				.detail("item", "age-bracket")
				.detail("value", bracket.value()));
		}
	}

	private OffsetDateTime now() {
		return this.clock.instant().atOffset(ZoneOffset.UTC);
	}

	@Override
	public String name() {
		return "minor-marker";
	}

	@Override
	public void erase(String userId) {
		this.jdbc.sql("DELETE FROM minor_account WHERE user_id = :u").param("u", userId).update();
	}

}
