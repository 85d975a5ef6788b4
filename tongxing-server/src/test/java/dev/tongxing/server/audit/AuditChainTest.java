package dev.tongxing.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tongxing.server.audit.AuditReport.Kind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** The chain itself: what verification catches, and what appends guarantee. */
class AuditChainTest {

	final AuditDatabase db = new AuditDatabase();

	@org.junit.jupiter.api.AfterEach
	void stopAppender() {
		this.db.close();
	}

	@Test
	void entriesFormAnIntactChainAcrossPages() {
		this.db.record(2500);
		AuditReport report = this.db.verifier.verify();
		assertThat(report.intact()).as(report.describe()).isTrue();
		assertThat(report.entries()).isEqualTo(2500);
		assertThat(report.lastSeq()).isEqualTo(2500);
		assertThat(this.db.entry(1).prevHash()).isEqualTo(ChainedEntry.GENESIS);
		assertThat(this.db.entry(2).prevHash()).isEqualTo(this.db.hashOf(1));
		assertThat(this.db.entry(2500).hash()).isEqualTo(this.db.entry(2500).computeHash());
	}

	@Test
	void anEmptyLogIsIntact() {
		assertThat(this.db.verifier.verify().intact()).isTrue();
	}

	@Test
	void anEditedEntryIsNamed() {
		this.db.record(100);
		this.db.sql("UPDATE audit_entry SET details = '{\"method\":\"forged\"}' WHERE seq = 37");
		assertProblem(Kind.ALTERED, 37);
	}

	@Test
	void anEditedAndReHashedEntryIsNamed() {
		this.db.record(100);
		ChainedEntry original = this.db.entry(37);
		ChainedEntry forged = ChainedEntry.link(37, original.recordedAt(), original.type(), "admin:mallory",
				original.subject(), null, original.details(), original.prevHash());
		this.db.sql("UPDATE audit_entry SET actor = ?, hash = ? WHERE seq = 37", forged.actor(), forged.hash());
		assertProblem(Kind.ALTERED, 37);
	}

	@Test
	void aDeletedEntryIsNamed() {
		this.db.record(100);
		this.db.sql("DELETE FROM audit_entry WHERE seq = 50");
		assertProblem(Kind.REMOVED, 50);
	}

	@Test
	void deletedFirstAndLastEntriesAreNamed() {
		this.db.record(10);
		this.db.sql("DELETE FROM audit_entry WHERE seq = 10");
		assertProblem(Kind.REMOVED, 10);
		this.db.sql("DELETE FROM audit_entry WHERE seq = 1");
		assertProblem(Kind.REMOVED, 1);
	}

	@Test
	void anEntryForgedAfterTheHeadIsNamed() {
		this.db.record(100);
		ChainedEntry last = this.db.entry(100);
		insert(ChainedEntry.link(101, Instant.now(), AuditTypes.ACCOUNT_MERGED, "system", "victim", null, "{}",
				last.hash()));
		assertProblem(Kind.INSERTED, 101);
	}

	@Test
	void anEntrySqueezedIntoTheMiddleIsNamed() {
		this.db.record(100);
		// make room at 40 the way a forger must: renumber everything after it
		this.db.sql("UPDATE audit_entry SET seq = seq + 1000 WHERE seq >= 40");
		this.db.sql("UPDATE audit_entry SET seq = seq - 999 WHERE seq >= 1000");
		insert(ChainedEntry.link(40, this.db.entry(39).recordedAt(), AuditTypes.LOGIN_SUCCEEDED, "user:mallory",
				"mallory", null, "{}", this.db.hashOf(39)));
		assertProblem(Kind.INSERTED, 40);
	}

	@Test
	void aForgedCheckpointSignatureIsCaught() throws Exception {
		this.db.record(50);
		AuditCheckpoints.Checkpoint checkpoint = this.db.checkpoints.checkpoint().orElseThrow();
		this.db.record(50);
		assertThat(this.db.verifier.verify().checkpoints()).isEqualTo(1);

		// signed by a key of the forger's own, under the gateway key's kid
		RSAKey forger = AuditDatabase.rsaKey();
		SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(checkpoint.kid())
			.type(new JOSEObjectType(AuditCheckpoints.TYPE))
			.build(), new JWTClaimsSet.Builder().claim("seq", 50L).claim("hash", checkpoint.hash()).build());
		forged.sign(new RSASSASigner(forger));
		this.db.sql("UPDATE audit_checkpoint SET jws = ? WHERE seq = 50", forged.serialize());
		assertProblem(Kind.CHECKPOINT_INVALID, 50);

		// the genuine signature over other claims
		String[] parts = checkpoint.jws().split("\\.");
		String otherClaims = java.util.Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(("{\"seq\":50,\"hash\":\"" + "f".repeat(64) + "\"}").getBytes());
		this.db.sql("UPDATE audit_checkpoint SET jws = ? WHERE seq = 50", parts[0] + "." + otherClaims + "." + parts[2]);
		assertProblem(Kind.CHECKPOINT_INVALID, 50);

		// a genuine checkpoint moved onto another entry
		this.db.sql("UPDATE audit_checkpoint SET jws = ?, seq = 60 WHERE seq = 50", checkpoint.jws());
		assertProblem(Kind.CHECKPOINT_INVALID, 60);
	}

	@Test
	void aChainRewrittenUpToACheckpointIsCaught() {
		this.db.record(50);
		this.db.checkpoints.checkpoint().orElseThrow();
		this.db.record(50);
		// the forger edits entry 30 and re-hashes everything after it, head included
		String prev = this.db.hashOf(29);
		for (long seq = 30; seq <= 100; seq++) {
			ChainedEntry e = this.db.entry(seq);
			ChainedEntry rewritten = ChainedEntry.link(seq, e.recordedAt(), e.type(),
					seq == 30 ? "admin:mallory" : e.actor(), e.subject(), e.clientId(), e.details(), prev);
			this.db.sql("UPDATE audit_entry SET actor = ?, prev_hash = ?, hash = ? WHERE seq = ?", rewritten.actor(),
					rewritten.prevHash(), rewritten.hash(), seq);
			prev = rewritten.hash();
		}
		this.db.sql("UPDATE audit_chain_head SET hash = ?", prev);
		AuditReport report = assertProblem(Kind.CHECKPOINT_MISMATCH, 50);
		assertThat(report.problem().message()).contains("1–50");
	}

	@Test
	void aCheckpointCoversEachEntryOnce() {
		assertThat(this.db.checkpoints.checkpoint()).isEmpty(); // nothing to sign yet
		this.db.record(3);
		assertThat(this.db.checkpoints.checkpoint()).isPresent();
		assertThat(this.db.checkpoints.checkpoint()).isEmpty();
		this.db.record(1);
		assertThat(this.db.checkpoints.checkpoint()).map(AuditCheckpoints.Checkpoint::seq).contains(4L);
		assertThat(this.db.verifier.verify().checkpoints()).isEqualTo(2);
	}

	@Test
	void concurrentAppendsFormOneChain() throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(8);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int t = 0; t < 8; t++) {
				done.add(threads.submit(() -> this.db.record(50)));
			}
			for (Future<?> f : done) {
				f.get();
			}
		}
		finally {
			threads.shutdown();
		}
		AuditReport report = this.db.verifier.verify();
		assertThat(report.intact()).as(report.describe()).isTrue();
		assertThat(report.entries()).isEqualTo(400);
		assertThat(this.db.jdbc.sql("SELECT COUNT(DISTINCT seq) FROM audit_entry").query(Long.class).single())
			.isEqualTo(400);
	}

	@Test
	void anEntryRecordedInARolledBackTransactionLeavesNoTrace() {
		this.db.record(5);
		this.db.sql("CREATE TABLE business (id int)");
		try {
			this.db.tx.executeWithoutResult(status -> {
				this.db.sql("INSERT INTO business (id) VALUES (1)");
				this.db.log.record(AuditEntry.of(AuditTypes.ACCOUNT_LINKED).subject("u1"));
				throw new IllegalStateException("crash after the audit entry");
			});
		}
		catch (IllegalStateException expected) {
		}
		assertNothingBut(5);
	}

	@Test
	void aCommitFailingAfterTheAppendRollsBackEntryAndHeadTogether() {
		this.db.record(5);
		this.db.sql("CREATE TABLE business (id int)");
		try {
			this.db.tx.executeWithoutResult(status -> {
				this.db.sql("INSERT INTO business (id) VALUES (1)");
				this.db.log.record(AuditEntry.of(AuditTypes.ACCOUNT_LINKED).subject("u1"));
				// runs after the audit entry's own before-commit staging: the entry is written in this
				// transaction (the chain head is left to the appender, after commit), then lost with it
				TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
					@Override
					public void beforeCommit(boolean readOnly) {
						assertThat(AuditChainTest.this.db.jdbc.sql("SELECT COUNT(*) FROM audit_staged_entry")
							.query(Long.class)
							.single()).isEqualTo(1);
						throw new IllegalStateException("crash while committing");
					}
				});
			});
		}
		catch (IllegalStateException expected) {
		}
		assertNothingBut(5);
	}

	@Test
	void entriesInACommittedTransactionAreAppendedInOrder() {
		this.db.tx.executeWithoutResult(status -> {
			this.db.log.record(AuditEntry.of(AuditTypes.ACCOUNT_CREATED).subject("u1"));
			this.db.log.record(AuditEntry.of(AuditTypes.ACCOUNT_LINKED).subject("u1"));
			assertThat(this.db.jdbc.sql("SELECT COUNT(*) FROM audit_entry").query(Long.class).single()).isZero();
		});
		assertThat(this.db.entry(1).type()).isEqualTo(AuditTypes.ACCOUNT_CREATED);
		assertThat(this.db.entry(2).type()).isEqualTo(AuditTypes.ACCOUNT_LINKED);
		assertThat(this.db.verifier.verify().intact()).isTrue();
	}

	@Test
	void aCheckpointIsSignedEveryNEntries() throws Exception {
		JdbcAuditLog everyTen = this.db.newLog(10, this.db.checkpoints::checkpoint);
		for (int i = 0; i < 25; i++) {
			everyTen.record(AuditEntry.of(AuditTypes.LOGIN_FAILED).detail("i", i));
		}
		long deadline = System.currentTimeMillis() + 10_000;
		List<Long> signed;
		do {
			Thread.sleep(50);
			signed = this.db.checkpoints.all().stream().map(AuditCheckpoints.Checkpoint::seq).toList();
		}
		while ((signed.isEmpty() || signed.getLast() < 20) && System.currentTimeMillis() < deadline);
		// triggered after the 10th and the 20th entries' commits; each signs the head as it finds it, so a
		// late trigger may find the other's work done
		assertThat(signed).isNotEmpty().allSatisfy(seq -> assertThat(seq).isBetween(10L, 25L));
		assertThat(signed.getLast()).isGreaterThanOrEqualTo(20L);
		assertThat(this.db.verifier.verify().checkpoints()).isEqualTo(signed.size());
	}

	@Test
	void entriesStagedByANodeThatDiedAfterCommitAreLinkedByAnother() throws Exception {
		this.db.record(3);
		JdbcAuditLog crashed = this.db.newLog(Long.MAX_VALUE, () -> {
		});
		crashed.close(); // its appender is gone, as after a crash between the commit and the linking
		this.db.tx.executeWithoutResult(status -> {
			crashed.record(AuditEntry.of(AuditTypes.ACCOUNT_CREATED).subject("u9"));
			crashed.record(AuditEntry.of(AuditTypes.ACCOUNT_LINKED).subject("u9"));
		});
		assertThat(this.db.jdbc.sql("SELECT COUNT(*) FROM audit_staged_entry").query(Long.class).single()).isEqualTo(2);
		long deadline = System.currentTimeMillis() + 20_000;
		while (this.db.jdbc.sql("SELECT COUNT(*) FROM audit_staged_entry").query(Long.class).single() > 0
				&& System.currentTimeMillis() < deadline) {
			Thread.sleep(100);
		}
		assertThat(this.db.entry(4).type()).isEqualTo(AuditTypes.ACCOUNT_CREATED);
		assertThat(this.db.entry(5).type()).isEqualTo(AuditTypes.ACCOUNT_LINKED);
		AuditReport report = this.db.verifier.verify();
		assertThat(report.intact()).as(report.describe()).isTrue();
		assertThat(report.entries()).isEqualTo(5);
	}

	@Test
	void aStagedRowTheGatewayDidNotWriteIsNeverLinkedAndIsReported() throws Exception {
		this.db.record(2);
		java.time.OffsetDateTime old = Instant.now().minusSeconds(60).atOffset(java.time.ZoneOffset.UTC);
		this.db.sql("""
				INSERT INTO audit_staged_entry (id, ordinal, staged_at, recorded_at, type, actor, subject, client_id,
				details, mac) VALUES ('forged', 1, ?, ?, 'account.merged', 'user:mallory', 'u1', NULL, '{}', ?)""", old,
				old, "0".repeat(64));
		Thread.sleep(2_000); // several sweeps
		assertThat(this.db.jdbc.sql("SELECT COUNT(*) FROM audit_entry").query(Long.class).single()).isEqualTo(2);
		assertProblem(Kind.STAGED_FORGED, 3);
	}

	private void assertNothingBut(long entries) {
		assertThat(this.db.jdbc.sql("SELECT COUNT(*) FROM business").query(Long.class).single()).isZero();
		assertThat(this.db.jdbc.sql("SELECT COUNT(*) FROM audit_entry").query(Long.class).single()).isEqualTo(entries);
		assertThat(this.db.jdbc.sql("SELECT seq FROM audit_chain_head").query(Long.class).single()).isEqualTo(entries);
		this.db.log.record(AuditEntry.of(AuditTypes.ACCOUNT_LINKED).subject("u1"));
		assertThat(this.db.entry(entries + 1).prevHash()).isEqualTo(this.db.hashOf(entries));
		assertThat(this.db.verifier.verify().intact()).isTrue();
	}

	@Test
	void malformedEntriesAreRefused() {
		org.assertj.core.api.Assertions
			.assertThatThrownBy(() -> this.db.log.record(AuditEntry.of("Login Succeeded")))
			.isInstanceOf(IllegalArgumentException.class);
		org.assertj.core.api.Assertions
			.assertThatThrownBy(() -> this.db.log.record(AuditEntry.of("a.b").detail("x", "y".repeat(5000))))
			.isInstanceOf(IllegalArgumentException.class);
		assertThat(this.db.verifier.verify().entries()).isZero();
	}

	@Test
	void anExportReVerifiesIndependently() throws Exception {
		this.db.record(1200);
		this.db.log.record(AuditEntry.of(AuditTypes.ACCOUNT_LINKED)
			.subject("用户-1")
			.detail("note", "quote \" backslash \\ newline \n tab \t 微信 \u0001")
			.detail("scopes", java.util.List.of("openid", "profile"))
			.detail("first", true));
		java.io.StringWriter out = new java.io.StringWriter();
		assertThat(this.db.export.write(null, null, out)).isEqualTo(1201);
		var entries = ExportedChain.verify(out.toString());
		assertThat(entries).hasSize(1201);
		assertThat(entries.get(0).get("prev_hash")).isEqualTo(ChainedEntry.GENESIS);
		assertThat(ExportedChain.details(entries.get(1200))).containsEntry("first", true)
			.containsEntry("scopes", java.util.List.of("openid", "profile"));

		java.io.StringWriter none = new java.io.StringWriter();
		assertThat(this.db.export.write(Instant.now().plusSeconds(60), null, none)).isZero();
		assertThat(none.toString()).isEmpty();
	}

	private AuditReport assertProblem(Kind kind, long seq) {
		AuditReport report = this.db.verifier.verify();
		assertThat(report.intact()).isFalse();
		assertThat(report.problem().kind()).as(report.describe()).isEqualTo(kind);
		assertThat(report.problem().seq()).as(report.describe()).isEqualTo(seq);
		return report;
	}

	private void insert(ChainedEntry e) {
		this.db.sql("""
				INSERT INTO audit_entry (seq, recorded_at, type, actor, subject, client_id, details, prev_hash, hash)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""", e.seq(), e.recordedAt().atOffset(java.time.ZoneOffset.UTC),
				e.type(), e.actor(), e.subject(), e.clientId(), e.details(), e.prevHash(), e.hash());
	}

}
