package dev.tongxing.server.connector.wechat;

import dev.tongxing.server.crypto.MasterKeyCipher;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import tools.jackson.databind.json.JsonMapper;

/**
 * Makes every WeChat code be exchanged at most once, across nodes: WeChat answers a second exchange of
 * the same code with 40163, so a double callback, a browser retry or a client retry after a timeout must
 * reuse the first exchange's outcome instead of calling WeChat again. The outcome (personal data) is
 * stored encrypted and kept one day.
 */
class CodeExchangeLedger {

	private static final Duration WAIT_FOR_OTHER = Duration.ofSeconds(6);

	private final JdbcClient jdbc;

	private final MasterKeyCipher cipher;

	private final Clock clock;

	private final JsonMapper json = JsonMapper.builder().build();

	CodeExchangeLedger(JdbcClient jdbc, MasterKeyCipher cipher, Clock clock) {
		this.jdbc = jdbc;
		this.cipher = cipher;
		this.clock = clock;
	}

	/**
	 * Runs {@code exchange} if this is the first time this code is seen; otherwise returns (or rethrows) what
	 * the first exchange produced.
	 */
	WechatIdentity exchangeOnce(String appid, String code, Supplier<WechatIdentity> exchange) {
		String hash = hash(appid, code);
		try {
			this.jdbc.sql("""
					INSERT INTO wechat_code_exchange (code_hash, appid, status, created_at)
					VALUES (:h, :a, 'pending', :t)""")
				.param("h", hash)
				.param("a", appid)
				.param("t", this.clock.instant().atOffset(ZoneOffset.UTC))
				.update();
		}
		catch (DuplicateKeyException seenBefore) {
			return reuse(hash);
		}
		try {
			WechatIdentity identity = exchange.get();
			finish(hash, "done", this.cipher.encrypt(this.json.writeValueAsString(identity)));
			return identity;
		}
		catch (WechatApiException ex) {
			finish(hash, "failed", this.cipher.encrypt("{\"errcode\":" + ex.errcode() + "}"));
			throw ex;
		}
		catch (RuntimeException ex) {
			// timeouts included: the code may have been consumed, so it is never sent again
			finish(hash, "failed", this.cipher.encrypt("{\"errcode\":40163}"));
			throw ex;
		}
	}

	private WechatIdentity reuse(String hash) {
		long deadline = System.nanoTime() + WAIT_FOR_OTHER.toNanos();
		while (true) {
			Optional<String[]> row = this.jdbc
				.sql("SELECT status, outcome_enc FROM wechat_code_exchange WHERE code_hash = :h")
				.param("h", hash)
				.query((rs, i) -> new String[] { rs.getString(1), rs.getString(2) })
				.optional();
			if (row.isPresent() && row.get()[0].equals("done")) {
				return this.json.readValue(this.cipher.decrypt(row.get()[1]), WechatIdentity.class);
			}
			if (row.isPresent() && row.get()[0].equals("failed")) {
				int errcode = this.json.readTree(this.cipher.decrypt(row.get()[1])).path("errcode").asInt(40163);
				throw new WechatApiException("/sns/oauth2/access_token", errcode, "already tried once (not sent again)");
			}
			if (System.nanoTime() > deadline) {
				throw new WechatApiException("/sns/oauth2/access_token", 40163, "exchange in progress elsewhere");
			}
			try {
				Thread.sleep(100); // another request (maybe another node) is exchanging this very code
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new WechatApiException("/sns/oauth2/access_token", 40163, "interrupted");
			}
		}
	}

	private void finish(String hash, String status, String outcome) {
		this.jdbc.sql("UPDATE wechat_code_exchange SET status = :s, outcome_enc = :o WHERE code_hash = :h")
			.param("s", status)
			.param("o", outcome)
			.param("h", hash)
			.update();
	}

	/** Outcomes are kept one day: long enough for any retry, short for personal data. */
	@Scheduled(fixedDelayString = "${tongxing.wechat.ledger-cleanup-interval:1h}")
	void purge() {
		this.jdbc.sql("DELETE FROM wechat_code_exchange WHERE created_at < :t")
			.param("t", this.clock.instant().minus(Duration.ofDays(1)).atOffset(ZoneOffset.UTC))
			.update();
	}

	private static String hash(String appid, String code) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256")
					.digest((appid + ":" + code).getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
