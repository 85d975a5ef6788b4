package dev.tongxing.server.connector.phone;

import dev.tongxing.server.crypto.MasterKeyCipher;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keyed digests (HMAC-SHA256) of codes, phone numbers and client addresses, so the database holds none of
 * them in the clear. The key is random, stored once for all nodes, encrypted under the master key: a
 * database dump alone cannot test the 10^6 possible codes, nor list phone numbers by trying them.
 */
@Component
class PhoneDigests {

	private static final String KEY_ID = "v1";

	private final JdbcClient jdbc;

	private final MasterKeyCipher cipher;

	private final Clock clock;

	private volatile SecretKeySpec key;

	PhoneDigests(JdbcClient jdbc, MasterKeyCipher cipher, Clock clock) {
		this.jdbc = jdbc;
		this.cipher = cipher;
		this.clock = clock;
	}

	String code(String codeId, String code) {
		return hmac("code:" + codeId + ":" + code);
	}

	String phone(String e164) {
		return hmac("phone:" + e164);
	}

	String clientIp(String address) {
		return hmac("ip:" + address);
	}

	private String hmac(String input) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(key());
			return HexFormat.of().formatHex(mac.doFinal(input.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HMAC-SHA256 is not available", ex);
		}
	}

	private SecretKeySpec key() {
		SecretKeySpec current = this.key;
		if (current == null) {
			synchronized (this) {
				if (this.key == null) {
					this.key = loadOrCreate();
				}
				current = this.key;
			}
		}
		return current;
	}

	private SecretKeySpec loadOrCreate() {
		String stored = read();
		if (stored == null) {
			byte[] raw = new byte[32];
			new SecureRandom().nextBytes(raw);
			try {
				this.jdbc.sql("INSERT INTO phone_digest_key (id, key_jwe, created_at) VALUES (:id, :jwe, :at)")
					.param("id", KEY_ID)
					.param("jwe", this.cipher.encrypt(Base64.getEncoder().encodeToString(raw)))
					.param("at", Instant.now(this.clock).atOffset(ZoneOffset.UTC))
					.update();
			}
			catch (DuplicateKeyException raced) {
				// another node created it first; use theirs
			}
			stored = read();
		}
		return new SecretKeySpec(Base64.getDecoder().decode(this.cipher.decrypt(stored)), "HmacSHA256");
	}

	private String read() {
		return this.jdbc.sql("SELECT key_jwe FROM phone_digest_key WHERE id = :id")
			.param("id", KEY_ID)
			.query(String.class)
			.optional()
			.orElse(null);
	}

}
