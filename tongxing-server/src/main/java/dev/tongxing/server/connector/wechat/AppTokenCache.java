package dev.tongxing.server.connector.wechat;

import dev.tongxing.server.crypto.MasterKeyCipher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * App access tokens, one per app for the whole cluster, kept in the database (encrypted). They come from
 * {@code stable_token}, which never invalidates a token another caller holds, and are renewed when less
 * than five minutes are left (WeChat overlaps old and new tokens by five minutes).
 */
class AppTokenCache {

	private static final Duration RENEW_BEFORE = Duration.ofMinutes(5);

	private final JdbcClient jdbc;

	private final MasterKeyCipher cipher;

	private final WechatApiClient api;

	private final Clock clock;

	AppTokenCache(JdbcClient jdbc, MasterKeyCipher cipher, WechatApiClient api, Clock clock) {
		this.jdbc = jdbc;
		this.cipher = cipher;
		this.api = api;
		this.clock = clock;
	}

	String token(WechatApp app) {
		Instant now = this.clock.instant();
		Optional<String> cached = this.jdbc
			.sql("SELECT token_enc FROM wechat_app_token WHERE appid = :a AND expires_at > :t")
			.param("a", app.appid())
			.param("t", now.plus(RENEW_BEFORE).atOffset(ZoneOffset.UTC))
			.query(String.class)
			.optional();
		if (cached.isPresent()) {
			return this.cipher.decrypt(cached.get());
		}
		// safe to repeat (stable_token never invalidates the current one): the client retries transient faults
		WechatApiClient.AppToken fresh = this.api.stableToken(app);
		OffsetDateTime expires = now.plusSeconds(fresh.expiresIn()).atOffset(ZoneOffset.UTC);
		String encrypted = this.cipher.encrypt(fresh.accessToken());
		int updated = this.jdbc.sql("UPDATE wechat_app_token SET token_enc = :k, expires_at = :e WHERE appid = :a")
			.param("k", encrypted)
			.param("e", expires)
			.param("a", app.appid())
			.update();
		if (updated == 0) {
			try {
				this.jdbc.sql("INSERT INTO wechat_app_token (appid, token_enc, expires_at) VALUES (:a, :k, :e)")
					.param("a", app.appid())
					.param("k", encrypted)
					.param("e", expires)
					.update();
			}
			catch (org.springframework.dao.DuplicateKeyException raced) {
				// another node stored one at the same moment; stable_token gave us both the same token
			}
		}
		return fresh.accessToken();
	}

	/** After WeChat called our token invalid (40001/40014/42001): forget it so the next call fetches anew. */
	void evict(WechatApp app) {
		this.jdbc.sql("DELETE FROM wechat_app_token WHERE appid = :a").param("a", app.appid()).update();
	}

}
