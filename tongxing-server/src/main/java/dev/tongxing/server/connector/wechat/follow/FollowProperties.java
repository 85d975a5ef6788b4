package dev.tongxing.server.connector.wechat.follow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tongxing.wechat.follow.*}: follow the official account to sign in (关注公众号登录).
 *
 * @param enabled offer it on the login page
 * @param appid the official account (one of {@code tongxing.wechat.apps} of kind official-account); unset: the
 * first configured official account
 * @param token the server configuration's Token (服务器配置 → 令牌), which signs WeChat's pushes
 * @param encodingAesKey the EncodingAESKey (43 characters) for the safe mode (安全模式); unset: plain mode only
 * @param qrLifetime how long a QR code can be scanned: at least 1 minute, at most 5
 * @param longPoll how long one wait of the browser's long poll lasts before it asks again
 * @param messageMaxAge how old a push may be (its signed timestamp) before it is refused as a replay
 * @param requireEncryption refuse plain pushes (safe or compatible mode: WeChat encrypts every push, so a plain
 * one was made by someone holding only the Token); unset: required exactly when an EncodingAESKey is set
 */
@ConfigurationProperties("tongxing.wechat.follow")
public record FollowProperties(@DefaultValue("false") boolean enabled, String appid, String token,
		String encodingAesKey, @DefaultValue("5m") Duration qrLifetime, @DefaultValue("25s") Duration longPoll,
		@DefaultValue("5m") Duration messageMaxAge, Boolean requireEncryption) {

	/** Each problem a sentence naming the setting; none while disabled. */
	List<String> problems() {
		List<String> problems = new ArrayList<>();
		if (!this.enabled) {
			return problems;
		}
		if (this.token == null || !this.token.matches("[A-Za-z0-9]{3,32}")) {
			problems.add("tongxing.wechat.follow.token must be the official account's server Token: 3-32 letters or digits");
		}
		if (this.encodingAesKey != null && !this.encodingAesKey.isEmpty()) {
			try {
				MessageCrypto.aesKey(this.encodingAesKey);
			}
			catch (IllegalArgumentException ex) {
				problems.add("tongxing.wechat.follow.encoding-aes-key must be the 43-character EncodingAESKey");
			}
		}
		if (Boolean.TRUE.equals(this.requireEncryption) && !safeMode()) {
			problems.add("tongxing.wechat.follow.require-encryption needs tongxing.wechat.follow.encoding-aes-key");
		}
		if (this.qrLifetime.compareTo(Duration.ofMinutes(1)) < 0 || this.qrLifetime.compareTo(Duration.ofMinutes(5)) > 0) {
			problems.add("tongxing.wechat.follow.qr-lifetime must be between 1m and 5m");
		}
		if (this.longPoll.compareTo(Duration.ofSeconds(1)) < 0 || this.longPoll.compareTo(Duration.ofSeconds(55)) > 0) {
			problems.add("tongxing.wechat.follow.long-poll must be between 1s and 55s");
		}
		if (this.messageMaxAge.compareTo(Duration.ofMinutes(1)) < 0 || this.messageMaxAge.compareTo(Duration.ofHours(1)) > 0) {
			problems.add("tongxing.wechat.follow.message-max-age must be between 1m and 1h");
		}
		return problems;
	}

	boolean safeMode() {
		return this.encodingAesKey != null && !this.encodingAesKey.isEmpty();
	}

	/** Whether a push must come encrypted. */
	boolean encryptionRequired() {
		return this.requireEncryption != null ? this.requireEncryption : safeMode();
	}

}
