package dev.tongxing.bench;

import dev.tongxing.server.TongxingApplication;
import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.account.UserAccount;
import dev.tongxing.server.connector.wechat.WechatIdentity;
import dev.tongxing.server.crypto.PersonalDataCipher;
import dev.tongxing.wechat.emulator.DefaultFixture;
import java.io.PrintStream;
import java.io.StringReader;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Loads people into a PostgreSQL schema fast, as the gateway itself would have stored them after each signed
 * in with the WeChat mobile app and bound a phone: one {@code account_user} row (display name and avatar
 * sealed), three {@code account_identity} rows — {@code wechat-union} (UnionID), {@code wechat-open}
 * ({@code appid:openid}) and {@code phone} (E.164) — each a keyed lookup hash plus a sealed copy, and the
 * four {@code account_link_event} rows of the creation and the links (with their keyed hints). Sealing and
 * hashing go through the gateway's own {@link PersonalDataCipher} bean (its data keys, under the master key
 * given), so the gateway reads the rows back; {@link #verify} proves it by signing sample people in through
 * the gateway's {@link AccountService}, which must find the seeded account rather than create one.
 * <p>
 * Rows go in with {@code COPY} in batches, by several threads each on its own connection. Not written: the
 * audit entries and consent records of those sign-ins (a bulk load is not a million sign-ins; the audit log
 * stays a true record of what happened).
 */
final class AccountSeeder {

	private static final SecureRandom RANDOM = new SecureRandom();

	private final PersonalDataCipher cipher;

	private final BenchDatabase database;

	AccountSeeder(PersonalDataCipher cipher, BenchDatabase database) {
		this.cipher = cipher;
		this.database = database;
	}

	/** Person {@code i}: deterministic ids, so a sample can be checked after the load. */
	static WechatIdentity person(long i) {
		String union = String.format(Locale.ROOT, "oUbench%021d", i);
		String open = String.format(Locale.ROOT, "oMbench%021d", i);
		return new WechatIdentity(DefaultFixture.MOBILE_APPID, open, union, "Bench person " + i,
				"https://thirdwx.qlogo.cn/mmopen/vi_32/bench-" + i + "/132", false);
	}

	static String phone(long i) {
		return String.format(Locale.ROOT, "+86150%08d", i);
	}

	/** The gateway's sign-in identity of person {@code i} (a WeChat login that knows the verified phone). */
	static ExternalIdentity identity(long i) {
		WechatIdentity w = person(i);
		ExternalIdentity base = w.toExternalIdentity();
		return new ExternalIdentity(base.method(), base.keys(),
				new ExternalIdentity.Profile(w.nickname(), w.avatarUrl(), phone(i)));
	}

	/** Seeds people {@code from} (inclusive) to {@code to} (exclusive); returns how many. */
	long seed(long from, long to, int threads, int batch, PrintStream log) throws Exception {
		AtomicLong done = new AtomicLong();
		long started = System.nanoTime();
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> jobs = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				jobs.add(executor.submit(() -> {
					try (Connection c = this.database.connect()) {
						c.setAutoCommit(false);
						for (long start = from + (long) thread * batch; start < to; start += (long) threads * batch) {
							long end = Math.min(to, start + batch);
							copyBatch(c, start, end);
							c.commit();
							long total = done.addAndGet(end - start);
							if (total % (batch * 20L) < batch) {
								log.printf(Locale.ROOT, "  %,d people (%.0f/s)%n", total,
										total / ((System.nanoTime() - started) / 1e9));
							}
						}
					}
					return null;
				}));
			}
			for (Future<?> job : jobs) {
				job.get();
			}
		}
		finally {
			executor.shutdownNow();
		}
		try (Connection c = this.database.connect(); Statement s = c.createStatement()) {
			s.execute("ANALYZE account_user");
			s.execute("ANALYZE account_identity");
			s.execute("ANALYZE account_link_event");
		}
		return done.get();
	}

	private void copyBatch(Connection c, long from, long to) throws Exception {
		StringBuilder users = new StringBuilder();
		StringBuilder identities = new StringBuilder();
		StringBuilder events = new StringBuilder();
		String now = OffsetDateTime.now(ZoneOffset.UTC).toString();
		for (long i = from; i < to; i++) {
			ExternalIdentity identity = identity(i);
			String userId = newId();
			row(users, userId, this.cipher.seal(identity.profile().displayName()),
					this.cipher.seal(identity.profile().pictureUrl()), UserAccount.ACTIVE.code(), now);
			row(events, newId(), userId, "create", null, null, null, identity.method(), now);
			List<IdentityKey> keys = new ArrayList<>(identity.keys());
			keys.add(new IdentityKey("phone", identity.profile().verifiedPhone()));
			for (IdentityKey key : keys) {
				// what account.IdentityKeyHashes computes: the lookup hash per namespace, and the short hint
				row(identities, newId(), userId, key.provider(), this.cipher.lookupHash(key.provider(), key.key()),
						this.cipher.seal(key.key()), now);
				row(events, newId(), userId, "link", key.provider(),
						this.cipher.lookupHash("account-link-hint", key.provider() + ":" + key.key()).substring(0, 16),
						null, identity.method(), now);
			}
		}
		var copy = c.unwrap(PGConnection.class).getCopyAPI();
		copy.copyIn("COPY account_user (id, display_name, picture_url, status, created_at) FROM STDIN (FORMAT csv)",
				new StringReader(users.toString()));
		copy.copyIn("COPY account_identity (id, user_id, provider, provider_key_hash, provider_key_sealed, created_at)"
				+ " FROM STDIN (FORMAT csv)", new StringReader(identities.toString()));
		copy.copyIn("COPY account_link_event (id, user_id, kind, provider, key_hint, other_user_id, method, occurred_at)"
				+ " FROM STDIN (FORMAT csv)", new StringReader(events.toString()));
	}

	/** A CSV row; null is an unquoted empty field (COPY's NULL in CSV). */
	private static void row(StringBuilder b, String... fields) {
		for (int f = 0; f < fields.length; f++) {
			if (f > 0) {
				b.append(',');
			}
			if (fields[f] != null) {
				b.append('"').append(fields[f].replace("\"", "\"\"")).append('"');
			}
		}
		b.append('\n');
	}

	/** The gateway's id format (16 random bytes, base64url). */
	private static String newId() {
		byte[] bytes = new byte[16];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/**
	 * Signs {@code samples} seeded people in through the gateway's own account service: each must land on
	 * the account that was seeded for them (found by all three lookup hashes), not on a new one.
	 */
	static void verify(ConfigurableApplicationContext context, BenchDatabase database, long count, int samples)
			throws Exception {
		AccountService accounts = context.getBean(AccountService.class);
		long before = count(database, "SELECT count(*) FROM account_user");
		for (int s = 0; s < samples; s++) {
			long i = samples == 1 ? 0 : (count - 1) * s / (samples - 1);
			UserAccount user = accounts.signIn(identity(i));
			if (!("Bench person " + i).equals(user.displayName())) {
				throw new IllegalStateException("Person " + i + " signed in as " + user.displayName());
			}
		}
		long after = count(database, "SELECT count(*) FROM account_user");
		if (after != before) {
			throw new IllegalStateException("Signing seeded people in created " + (after - before)
					+ " accounts: the gateway does not read the seeded rows");
		}
	}

	static long count(BenchDatabase database, String sql) throws Exception {
		try (Connection c = database.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
			r.next();
			return r.getLong(1);
		}
	}

	/** The gateway, offline (no web server), on {@code database}: Flyway migrates it, its beans seal. */
	static ConfigurableApplicationContext offlineGateway(BenchDatabase database, String masterKey) {
		Map<String, Object> p = new LinkedHashMap<>(database.properties());
		p.put("tongxing.keys.master-key", masterKey);
		p.put("tongxing.keys.master-key-id", "bench");
		p.put("spring.main.banner-mode", "off");
		p.put("logging.level.root", "WARN");
		p.put("spring.session.jdbc.cleanup-cron", "-");
		String[] args = p.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
		return new SpringApplicationBuilder(TongxingApplication.class).web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.run(args);
	}

	static ConfigurableApplicationContext offlineGateway(BenchDatabase database) {
		return offlineGateway(database, Gateway.MASTER_KEY);
	}

	static AccountSeeder of(ConfigurableApplicationContext context, BenchDatabase database) {
		return new AccountSeeder(context.getBean(PersonalDataCipher.class), database);
	}

}
