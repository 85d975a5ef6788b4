package dev.tongxing.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import dev.tongxing.server.audit.AuditReport.Kind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * Retention of the audit log (PIPL Art. 19; 网络安全法 Art. 21 and 网络数据安全管理条例 Art. 12 as floors): entries past
 * {@code tongxing.audit.retention} are deleted from the chain's oldest end, cut only at a signed checkpoint, and the
 * chain still verifies from its signed start; deleting more by hand, or moving the start, is caught.
 */
class AuditRetentionTest {

	static final Duration RETENTION = AuditProperties.MINIMUM_RETENTION;

	final AuditDatabase db = new AuditDatabase();

	final Instant longAgo = Instant.now().minus(Duration.ofDays(4 * 365));

	@AfterEach
	void stopAppender() {
		this.db.close();
	}

	AuditRetention retention() {
		return new AuditRetention(this.db.jdbc, this.db.tx,
				new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(this.db.key))), this.db.log, Clock.systemUTC(),
				RETENTION, () -> new JWKSet(this.db.key.toPublicJWK()));
	}

	void recordAt(Instant at, int n) {
		for (int i = 0; i < n; i++) {
			this.db.log.record(AuditEntry.of(AuditTypes.LOGIN_SUCCEEDED).actor("user:u" + i).subject("u" + i).at(at));
		}
	}

	/** 1–120 four years old (checkpoints at 60 and 120), 121–150 of today (checkpoint at 150). */
	@BeforeEach
	void fourYearsOfLog() {
		recordAt(this.longAgo, 60);
		assertThat(this.db.checkpoints.checkpoint()).isPresent();
		recordAt(this.longAgo.plusSeconds(60), 60);
		assertThat(this.db.checkpoints.checkpoint()).isPresent();
		recordAt(Instant.now(), 30);
		assertThat(this.db.checkpoints.checkpoint()).isPresent();
	}

	long count(String sql) {
		return this.db.jdbc.sql(sql).query(Long.class).single();
	}

	long purgedEntries() {
		return count("SELECT COUNT(*) FROM audit_entry WHERE type = 'audit.purged'");
	}

	AuditReport assertIntact() {
		AuditReport report = this.db.verifier.verify();
		assertThat(report.intact()).as(report.describe()).isTrue();
		return report;
	}

	void assertProblem(Kind kind, long seq) {
		AuditReport report = this.db.verifier.verify();
		assertThat(report.problem()).as(report.describe()).isNotNull();
		assertThat(report.problem().kind()).as(report.describe()).isEqualTo(kind);
		assertThat(report.problem().seq()).as(report.describe()).isEqualTo(seq);
	}

	@Test
	void entriesPastRetentionAreDeletedUpToTheNewestOldCheckpointAndTheChainStillVerifies() {
		assertThat(retention().purge()).isEqualTo(120);

		assertThat(count("SELECT MIN(seq) FROM audit_entry")).isEqualTo(121);
		assertThat(count("SELECT COUNT(*) FROM audit_checkpoint WHERE seq <= 120")).isZero();
		AuditRetention.Anchor anchor = retention().anchor();
		assertThat(anchor.seq()).isEqualTo(120);
		assertThat(anchor.jws()).isNotBlank();
		ChainedEntry purged = this.db.entry(151);
		assertThat(purged.type()).isEqualTo(AuditTypes.AUDIT_PURGED);
		assertThat(purged.actor()).isEqualTo("system");
		assertThat(purged.details()).contains("\"through\":120").contains("\"retention\":\"" + RETENTION + "\"");
		AuditReport report = assertIntact();
		assertThat(report.entries()).isEqualTo(31);
		assertThat(report.lastSeq()).isEqualTo(151);
		assertThat(report.checkpoints()).isEqualTo(1);

		// nothing more is old enough: a second run deletes nothing and records nothing
		assertThat(retention().purge()).isZero();
		assertThat(purgedEntries()).isEqualTo(1);
	}

	@Test
	void oldEntriesAfterTheLastOldCheckpointStayUntilASignatureVouchesForTheCut() {
		recordAt(this.longAgo.plusSeconds(120), 5); // 151–155: old, but no checkpoint of their own
		AuditRetention retention = retention();
		assertThat(retention.purge()).isEqualTo(120);
		assertThat(count("SELECT COUNT(*) FROM audit_entry WHERE seq BETWEEN 121 AND 155")).isEqualTo(35);
		assertIntact();
	}

	@Test
	void aCheckpointThatItsSignatureDoesNotVouchForIsNeverSignedAsTheStart() {
		// someone with the database rewrote an old entry and its checkpoint row alike (the JWS still names the old hash)
		this.db.jdbc.sql("UPDATE audit_entry SET hash = 'f0f0' WHERE seq = 120").update();
		this.db.jdbc.sql("UPDATE audit_checkpoint SET hash = 'f0f0' WHERE seq = 120").update();
		assertThat(retention().purge()).as("the cut falls back to the checkpoint before it").isEqualTo(60);
		assertThat(retention().anchor().seq()).isEqualTo(60);
		// and a checkpoint whose JWS was swapped for a forged one is not taken either
		this.db.jdbc.sql("UPDATE audit_checkpoint SET jws = 'eyJhbGciOiJSUzI1NiJ9.e30.AAAA' WHERE seq = 120").update();
		this.db.jdbc.sql("UPDATE audit_entry SET hash = (SELECT hash FROM audit_checkpoint WHERE seq = 120) WHERE seq = 120")
			.update();
		assertThat(retention().purge()).isZero();
		assertThat(retention().anchor().seq()).isEqualTo(60);
	}

	@Test
	void withoutRetentionNothingIsDeleted() {
		AuditRetention keepForever = new AuditRetention(this.db.jdbc, this.db.tx,
				new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(this.db.key))), this.db.log, Clock.systemUTC(),
				null, () -> new JWKSet(this.db.key.toPublicJWK()));
		assertThat(keepForever.purge()).isZero();
		assertThat(count("SELECT COUNT(*) FROM audit_entry")).isEqualTo(150);
		assertThat(purgedEntries()).isZero();
	}

	@Test
	void entriesDeletedByHandAfterThePurgeAreNamed() {
		retention().purge();
		this.db.sql("DELETE FROM audit_entry WHERE seq = 121");
		assertProblem(Kind.REMOVED, 121);
	}

	@Test
	void aStartMovedByHandIsCaught() {
		retention().purge();
		// deleting further and moving the start to today's checkpoint, keeping the signed start of the purge
		this.db.sql("DELETE FROM audit_entry WHERE seq <= 150");
		this.db.sql("UPDATE audit_retention_anchor SET seq = 150, hash = ? WHERE id = 1",
				this.db.checkpoints.all().get(0).hash());
		assertProblem(Kind.ANCHOR_INVALID, 151);
	}

	@Test
	void aCheckpointCannotBePassedOffAsTheStart() {
		AuditCheckpoints.Checkpoint today = this.db.checkpoints.all().get(2);
		assertThat(today.seq()).isEqualTo(150);
		this.db.sql("DELETE FROM audit_entry WHERE seq <= 150");
		this.db.sql("UPDATE audit_retention_anchor SET seq = 150, hash = ?, jws = ? WHERE id = 1", today.hash(),
				today.jws());
		assertProblem(Kind.ANCHOR_INVALID, 151);
	}

	@Test
	void aStartResetToTheGenesisShowsTheDeletedEntries() {
		retention().purge();
		this.db.sql("UPDATE audit_retention_anchor SET seq = 0, hash = ?, jws = NULL WHERE id = 1", ChainedEntry.GENESIS);
		assertProblem(Kind.REMOVED, 1);
	}

	@Test
	void aCrashAfterTheStartMovedLosesNothingAndTheNextRunFinishes() {
		AuditRetention retention = retention();
		retention.moveAnchor(Instant.now().minus(RETENTION));
		// the node died here: the old entries are still there, verification starts after them
		assertThat(count("SELECT COUNT(*) FROM audit_entry WHERE seq <= 120")).isEqualTo(120);
		assertThat(assertIntact().entries()).isEqualTo(31);
		assertThat(retention.purge()).isEqualTo(120);
		assertThat(purgedEntries()).isEqualTo(1);
		assertThat(assertIntact().entries()).isEqualTo(31);
	}

	@Test
	void twoNodesPurgingAtOnceMoveTheStartOnce() throws Exception {
		List<Callable<Long>> nodes = List.of(() -> retention().purge(), () -> retention().purge());
		ExecutorService pool = Executors.newFixedThreadPool(2);
		long deleted = 0;
		try {
			for (Future<Long> f : pool.invokeAll(nodes)) {
				deleted += f.get();
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(deleted).isEqualTo(120);
		assertThat(purgedEntries()).isEqualTo(1);
		assertIntact();
	}

	@Test
	void retentionIsNeverBelowThreeYears() {
		assertThatThrownBy(() -> new AuditProperties(Duration.ofMinutes(5), 10_000, Duration.ofSeconds(5),
				Duration.ofDays(180), Duration.ofDays(1)))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("tongxing.audit.retention")
			.hasMessageContaining("Art. 12");
		assertThatCode(() -> new AuditProperties(Duration.ofMinutes(5), 10_000, Duration.ofSeconds(5),
				Duration.ofDays(1096), Duration.ofDays(1))).doesNotThrowAnyException();
		assertThatCode(() -> new AuditProperties(Duration.ofMinutes(5), 10_000, Duration.ofSeconds(5), null,
				Duration.ofDays(1))).doesNotThrowAnyException();
	}

}
