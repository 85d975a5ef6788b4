package dev.tongxing.server.connector.wechat;

import dev.tongxing.server.crypto.Digests;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.function.Supplier;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Makes every WeChat code go to WeChat at most once, across nodes. A second use of a code — a double
 * callback, a replay, a client retrying after a timeout — is refused here, as WeChat would refuse it
 * (40163), without a call that could only fail, and the same way OAuth treats a reused authorization code.
 * A code whose exchange timed out counts as used: WeChat may well have consumed it.
 */
class CodeExchangeLedger {

	private final JdbcClient jdbc;

	private final Clock clock;

	CodeExchangeLedger(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	WechatIdentity exchangeOnce(String appid, String code, Supplier<WechatIdentity> exchange) {
		String hash = Digests.sha256Hex(appid + ":" + code);
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
			throw new WechatApiException("/sns/oauth2/access_token", 40163, "code already presented once (not sent again)");
		}
		try {
			WechatIdentity identity = exchange.get();
			finish(hash, "done");
			return identity;
		}
		catch (RuntimeException ex) {
			finish(hash, "failed");
			throw ex;
		}
	}

	private void finish(String hash, String status) {
		this.jdbc.sql("UPDATE wechat_code_exchange SET status = :s WHERE code_hash = :h")
			.param("s", status)
			.param("h", hash)
			.update();
	}

	/** Codes live ten minutes at most; a day of memory covers every retry. */
	@Scheduled(fixedDelayString = "${tongxing.wechat.ledger-cleanup-interval:1h}")
	void purge() {
		this.jdbc.sql("DELETE FROM wechat_code_exchange WHERE created_at < :t")
			.param("t", this.clock.instant().minus(Duration.ofDays(1)).atOffset(ZoneOffset.UTC))
			.update();
	}


}
