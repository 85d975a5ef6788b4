package dev.tongxing.server.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.AccountStatus;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.account.UserAccount;
import dev.tongxing.server.testing.GatewayTest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code import users} against the gateway's database: accounts made or merged by sign-in's rules, sealed and
 * audited; the same file again changes nothing; an interrupted run resumes; a dry run writes nothing and
 * names every conflict by its line.
 */
class UserImportTest extends GatewayTest {

	@Autowired
	UserImport imports;

	@Autowired
	AccountService accounts;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransferAccountChanges changes;

	/** Keeps this run's ids apart from other tests' in the shared database. */
	String run;

	@BeforeEach
	void freshIds() {
		this.run = UUID.randomUUID().toString().substring(0, 8);
	}

	UserImport.Report run(String text, boolean dryRun) {
		return this.imports.run(() -> new BufferedReader(new StringReader(text)), UserImport.sha256(text), dryRun,
				"test:import", progress -> {
				});
	}

	String union(String name) {
		return "u" + this.run + name;
	}

	/** A random valid mainland mobile number. */
	static String phone() {
		return "+86139" + (10000000 + (int) (Math.random() * 89999999));
	}

	long count(String sql) {
		return this.jdbc.sql(sql).query(Long.class).single();
	}

	@Test
	void importCreatesSealedAuditedAccountsWithTheOldTimes() {
		String phone = phone();
		String file = """
				{"id":"old-%1$s-1","name":"张伟","avatar":"https://img.example.com/1.png","wechat":[{"appid":"wx0000000000000001","openid":"o%1$sa","unionid":"%2$s"}],"phones":[{"number":"%3$s","verified":true}],"created_at":"2019-03-01T08:00:00+08:00","last_login_at":"2024-11-30T12:00:00Z","consent":{"policy_version":"2023-01","at":"2023-01-05T10:00:00Z"},"subs":{"live-web":"old-%1$s-1"}}

				{"id":"old-%1$s-2","wechat":[{"appid":"wx0000000000000002","openid":"o%1$sb"}],"phones":[{"number":"%4$s","verified":false}]}
				""".formatted(this.run, union("a"), phone, phone());
		UserImport.Report report = run(file, false);
		assertThat(report.problems()).isEmpty();
		assertThat(report.read()).isEqualTo(2);
		assertThat(report.created()).isEqualTo(2);
		assertThat(report.unverifiedPhones()).isEqualTo(1);

		String first = this.accounts.userFor(new IdentityKey("wechat-union", union("a"))).orElseThrow();
		assertThat(this.accounts.userFor(new IdentityKey("wechat-open", "wx0000000000000001:o" + this.run + "a")))
			.contains(first);
		assertThat(this.accounts.userFor(new IdentityKey("phone", phone))).contains(first);
		UserAccount account = this.accounts.find(first).orElseThrow();
		assertThat(account.displayName()).isEqualTo("张伟");
		assertThat(account.pictureUrl()).isEqualTo("https://img.example.com/1.png");
		assertThat(account.createdAt()).isEqualTo(Instant.parse("2019-03-01T00:00:00Z"));
		assertThat(this.accounts.identities(first)).allSatisfy(
				identity -> assertThat(identity.lastLoginAt()).isEqualTo(Instant.parse("2024-11-30T12:00:00Z")));
		// sealed as at sign-up: neither the name nor a key is in the clear
		String storedName = this.jdbc.sql("SELECT display_name FROM account_user WHERE id = :id")
			.param("id", first)
			.query(String.class)
			.single();
		assertThat(storedName).doesNotContain("张伟");
		assertThat(this.jdbc.sql("SELECT provider_key_sealed FROM account_identity WHERE user_id = :id")
			.param("id", first)
			.query(String.class)
			.list()).noneMatch(sealed -> sealed.contains(phone) || sealed.contains(union("a")));
		// audited as imported, and its history says how it came to be
		assertThat(this.jdbc.sql("SELECT details FROM audit_entry WHERE type = 'account.imported' AND subject = :id")
			.param("id", first)
			.query(String.class)
			.list()).singleElement().asString().contains("created");
		assertThat(this.jdbc.sql("SELECT method FROM account_link_event WHERE user_id = :id AND kind = 'create'")
			.param("id", first)
			.query(String.class)
			.single()).isEqualTo("import");
		// the unverified number proves nothing: it is not a way to sign in
		String second = this.accounts.userFor(new IdentityKey("wechat-open", "wx0000000000000002:o" + this.run + "b"))
			.orElseThrow();
		assertThat(this.accounts.identities(second)).extracting(AccountService.LinkedIdentity::provider)
			.containsExactly("wechat-open");
	}

	@Test
	void theSameFileAgainChangesNothing() {
		String file = """
				{"id":"old-%1$s-1","name":"Li","wechat":[{"appid":"wx0000000000000001","openid":"o%1$sc","unionid":"%2$s"}],"phones":[],"subs":{"live-web":"again-%1$s"}}
				{"id":"old-%1$s-2","phones":[{"number":"%3$s","verified":true}],"subs":{}}
				""".formatted(this.run, union("c"), phone());
		assertThat(run(file, false).created()).isEqualTo(2);
		long accounts = count("SELECT COUNT(*) FROM account_user");
		long identities = count("SELECT COUNT(*) FROM account_identity");
		long events = count("SELECT COUNT(*) FROM account_link_event");
		long imported = count("SELECT COUNT(*) FROM audit_entry WHERE type = 'account.imported'");

		UserImport.Report again = run(file, false);
		assertThat(again.read()).isEqualTo(2);
		assertThat(again.unchanged()).isEqualTo(2);
		assertThat(again.created() + again.merged() + again.updated() + again.conflicts()).isZero();
		assertThat(count("SELECT COUNT(*) FROM account_user")).isEqualTo(accounts);
		assertThat(count("SELECT COUNT(*) FROM account_identity")).isEqualTo(identities);
		assertThat(count("SELECT COUNT(*) FROM account_link_event")).isEqualTo(events);
		assertThat(count("SELECT COUNT(*) FROM audit_entry WHERE type = 'account.imported'")).isEqualTo(imported);
	}

	@Test
	void anOldUserWhoSignedInHereAlreadyIsMergedIntoThatAccount() {
		// signed in with WeChat before the move: a UnionID account, and an openid-only account of an unbound app
		UserAccount withUnion = this.accounts.signIn(new ExternalIdentity("wechat",
				List.of(new IdentityKey("wechat-union", union("m")), new IdentityKey("wechat-open", "wx0000000000000001:o" + this.run + "m")),
				new ExternalIdentity.Profile("Wang", null, null)));
		UserAccount openOnly = this.accounts.signIn(new ExternalIdentity("wechat",
				List.of(new IdentityKey("wechat-open", "wx0000000000000006:o" + this.run + "n")), null));
		String phone = phone();
		// the old system knows the mini-program openid belongs to the same UnionID: sign-in's rule merges
		String file = """
				{"id":"old-%1$s-m","wechat":[{"appid":"wx0000000000000006","openid":"o%1$sn","unionid":"%2$s"}],"phones":[{"number":"%3$s","verified":true}],"subs":{"partner":"p-%1$s"}}
				""".formatted(this.run, union("m"), phone);
		UserImport.Report report = run(file, false);
		assertThat(report.problems()).isEmpty();
		assertThat(report.merged()).isEqualTo(1);
		assertThat(this.accounts.userFor(new IdentityKey("phone", phone))).contains(withUnion.id());
		assertThat(this.accounts.status(openOnly.id())).contains(AccountStatus.MERGED);
		assertThat(this.accounts.userFor(new IdentityKey("wechat-open", "wx0000000000000006:o" + this.run + "n")))
			.contains(withUnion.id());
		assertThat(this.accounts.find(withUnion.id()).orElseThrow().displayName()).isEqualTo("Wang");
	}

	@Autowired
	ImportedSubjects subjects;

	@Test
	void subsFollowThePersonIntoTheAccountASignInMergesThemInto() {
		// imported with an openid only; the person had also signed in here with the same WeChat's UnionID
		UserAccount withUnion = this.accounts.signIn(new ExternalIdentity("wechat",
				List.of(new IdentityKey("wechat-union", union("f"))), null));
		String sub = "follow-" + this.run;
		run("{\"id\":\"old-" + this.run + "-f\",\"wechat\":[{\"appid\":\"wx0000000000000002\",\"openid\":\"f"
				+ this.run + "\"}],\"subs\":{\"live-web\":\"" + sub + "\"}}", false);
		String imported = this.accounts.userFor(new IdentityKey("wechat-open", "wx0000000000000002:f" + this.run))
			.orElseThrow();
		assertThat(this.subjects.subjectFor(imported, "live-web")).isEqualTo(sub);
		// WeChat now tells the app's UnionID: sign-in merges the openid account into the UnionID one
		UserAccount merged = this.accounts.signIn(new ExternalIdentity("wechat", List.of(
				new IdentityKey("wechat-union", union("f")), new IdentityKey("wechat-open", "wx0000000000000002:f" + this.run)),
				null));
		assertThat(merged.id()).isEqualTo(withUnion.id());
		assertThat(this.accounts.status(imported)).contains(AccountStatus.MERGED);
		assertThat(this.subjects.subjectFor(withUnion.id(), "live-web")).isEqualTo(sub);
		assertThat(this.subjects.userFor(sub, "live-web")).isEqualTo(withUnion.id());
		assertThat(this.subjects.subjectFor(withUnion.id(), "partner")).isEqualTo(withUnion.id());
	}

	@Test
	void aDryRunNamesEveryProblemByLineAndWritesNothing() {
		String phone = phone();
		String taken = "taken-" + this.run;
		run("""
				{"id":"old-%1$s-t","phones":[{"number":"%2$s","verified":true}],"subs":{"live-web":"%3$s"}}
				""".formatted(this.run, phone(), taken), false);
		String file = String.join("\n",
				"{\"id\":\"old-" + this.run + "-1\",\"wechat\":[{\"appid\":\"wx0000000000000001\",\"openid\":\"o1" + this.run + "\",\"unionid\":\"" + union("x") + "\"}],\"phones\":[{\"number\":\"" + phone + "\",\"verified\":true}]}",
				"not json",
				"{\"id\":\"old-" + this.run + "-3\",\"wechat\":[{\"appid\":\"wechat-1\",\"openid\":\"o3\"}],\"created_at\":\"2020-01-01 00:00\",\"phone\":\"x\"}",
				"{\"id\":\"old-" + this.run + "-4\",\"wechat\":[{\"unionid\":\"" + union("x") + "\"}]}",
				"{\"id\":\"old-" + this.run + "-5\",\"phones\":[{\"number\":\"" + phone + "\",\"verified\":true}]}",
				"{\"id\":\"old-" + this.run + "-6\",\"wechat\":[{\"appid\":\"wx0000000000000002\",\"openid\":\"o6\"}],\"subs\":{\"no-such-client\":\"s\"}}",
				"{\"id\":\"old-" + this.run + "-7\",\"wechat\":[{\"appid\":\"wx0000000000000002\",\"openid\":\"o7" + this.run + "\"}],\"subs\":{\"live-web\":\"" + taken + "\"}}",
				"{\"id\":\"old-" + this.run + "-1\",\"wechat\":[{\"appid\":\"wx0000000000000002\",\"openid\":\"o8\"}]}",
				"{\"id\":\"old-" + this.run + "-9\",\"phones\":[{\"number\":\"12345\",\"verified\":\"yes\"}]}",
				"{\"id\":\"old-" + this.run + "-10\",\"wechat\":[{\"appid\":\"wx0000000000000002\",\"openid\":\"o10" + this.run + "\"}]}");
		long accounts = count("SELECT COUNT(*) FROM account_user");
		long imported = count("SELECT COUNT(*) FROM transfer_imported_person");
		long subs = count("SELECT COUNT(*) FROM transfer_client_subject");

		UserImport.Report report = run(file, true);
		assertThat(report.dryRun()).isTrue();
		assertThat(report.read()).isEqualTo(10);
		assertThat(report.created()).isEqualTo(2); // lines 1 and 10 would be created
		assertThat(report.invalid()).isEqualTo(3);
		assertThat(report.conflicts()).isEqualTo(5);
		assertThat(report.problems()).extracting(UserImport.Problem::line).containsExactly(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
		assertThat(problem(report, 2)).startsWith("invalid: not a JSON object");
		assertThat(problem(report, 3)).contains("wechat[0].appid: must be wx followed by 16 letters or digits")
			.contains("created_at: \"2020-01-01 00:00\" is not a time with an offset")
			.contains("unknown field \"phone\"");
		assertThat(problem(report, 4)).isEqualTo("conflict: its WeChat UnionID is also claimed by the old user of line 1");
		assertThat(problem(report, 5)).startsWith("conflict: its phone number +86139****")
			.endsWith("is also claimed by the old user of line 1")
			.doesNotContain(phone);
		assertThat(problem(report, 6)).contains("\"no-such-client\", which is not registered here");
		assertThat(problem(report, 7)).contains("subs.live-web is already another person's sub at that client");
		assertThat(problem(report, 8)).contains("id repeats the old user of line 1");
		assertThat(problem(report, 9)).contains("phones[0].number: not a mobile number in E.164 form")
			.contains("phones[0].verified: must be true or false");
		assertThat(report.describe()).contains("Dry run (nothing written)").contains("line 4: conflict:");

		assertThat(count("SELECT COUNT(*) FROM account_user")).isEqualTo(accounts);
		assertThat(count("SELECT COUNT(*) FROM transfer_imported_person")).isEqualTo(imported);
		assertThat(count("SELECT COUNT(*) FROM transfer_client_subject")).isEqualTo(subs);
		assertThat(this.accounts.userFor(new IdentityKey("wechat-union", union("x")))).isEmpty();

		// the real run finds exactly the problems the dry run told
		UserImport.Report real = run(file, false);
		assertThat(real.created()).isEqualTo(2);
		assertThat(real.problems()).isEqualTo(report.problems());
	}

	static String problem(UserImport.Report report, long line) {
		return report.problems().stream().filter(p -> p.line() == line).findFirst().orElseThrow().toString()
			.replaceFirst("^line \\d+: ", "");
	}

	@Test
	void anInterruptedRunResumesAfterItsLastCheckpoint() {
		List<String> lines = new ArrayList<>();
		for (int i = 1; i <= 250; i++) {
			lines.add("{\"id\":\"old-%s-%d\",\"wechat\":[{\"appid\":\"wx0000000000000002\",\"openid\":\"r%s%d\"}]}"
				.formatted(this.run, i, this.run, i));
		}
		String file = String.join("\n", lines) + "\n";
		String sha = UserImport.sha256(file);
		// the disk fails while line 151 is being read: the 150 lines read are committed and checkpointed
		assertThatThrownBy(() -> this.imports.run(() -> new BufferedReader(failingAfter(file, 150)), sha, false,
				"test:import", p -> {
				})).isInstanceOf(java.io.UncheckedIOException.class);
		assertThat(count("SELECT COUNT(*) FROM transfer_imported_person WHERE old_id LIKE 'old-" + this.run + "-%'"))
			.isEqualTo(150);

		AtomicLong progressReports = new AtomicLong();
		UserImport.Report resumed = this.imports.run(() -> new BufferedReader(new StringReader(file)), sha, false,
				"test:import", p -> progressReports.incrementAndGet());
		assertThat(resumed.read()).isEqualTo(250);
		assertThat(resumed.resumed()).isEqualTo(150);
		assertThat(resumed.created()).isEqualTo(100);
		assertThat(resumed.problems()).isEmpty();
		assertThat(count("SELECT COUNT(*) FROM transfer_imported_person WHERE old_id LIKE 'old-" + this.run + "-%'"))
			.isEqualTo(250);
		for (int i = 1; i <= 250; i += 37) {
			assertThat(this.accounts.userFor(new IdentityKey("wechat-open", "wx0000000000000002:r" + this.run + i)))
				.isPresent();
		}
	}

	/** The file's lines up to {@code lines}, then a read error (a crash, as far as the import can tell). */
	static Reader failingAfter(String text, int lines) {
		int end = 0;
		for (int i = 0; i < lines; i++) {
			end = text.indexOf('\n', end) + 1;
		}
		String head = text.substring(0, end);
		return new Reader() {

			final StringReader delegate = new StringReader(head);

			@Override
			public int read(char[] buffer, int offset, int length) throws IOException {
				int read = this.delegate.read(buffer, offset, length);
				if (read < 0) {
					throw new IOException("disk gone");
				}
				return read;
			}

			@Override
			public void close() {
			}

		};
	}

	@Test
	void aChangedRecordAddsWhatIsNewAndAnErasedPersonIsNotBroughtBack() {
		String phone = phone();
		String line = "{\"id\":\"old-" + this.run + "\",\"wechat\":[{\"appid\":\"wx0000000000000002\",\"openid\":\"c" + this.run + "\"}]}";
		assertThat(run(line, false).created()).isEqualTo(1);
		String account = this.accounts.userFor(new IdentityKey("wechat-open", "wx0000000000000002:c" + this.run)).orElseThrow();
		String changed = line.replace("}]}", "}],\"phones\":[{\"number\":\"" + phone + "\",\"verified\":true}],\"subs\":{\"live-web\":\"ch-" + this.run + "\"}}");
		UserImport.Report update = run(changed, false);
		assertThat(update.updated()).isEqualTo(1);
		assertThat(this.accounts.userFor(new IdentityKey("phone", phone))).contains(account);
		// a client's sub never changes once given
		UserImport.Report another = run(changed.replace("ch-" + this.run, "other-" + this.run), false);
		assertThat(another.conflicts()).isEqualTo(1);
		assertThat(another.problems().get(0).message()).contains("differs from the sub that client already has");

		// what account deletion does: the account erased, every participant told
		this.accounts.erase(account);
		this.changes.erase(account);
		assertThat(count("SELECT COUNT(*) FROM transfer_client_subject WHERE account_id = '" + account + "'")).isZero();
		UserImport.Report afterErasure = run(changed, false);
		assertThat(afterErasure.unchanged()).isEqualTo(1);
		assertThat(this.accounts.userFor(new IdentityKey("phone", phone))).isEmpty();
	}

}
