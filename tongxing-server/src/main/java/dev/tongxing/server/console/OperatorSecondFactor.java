package dev.tongxing.server.console;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.crypto.PersonalDataCipher;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.util.encoders.Base32;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Operators' second factor: TOTP (RFC 6238, SHA-1, 6 digits, 30 s, as authenticator apps expect) computed by
 * java-otp. The secret is sealed at rest and shown once, at enrolment; a code is accepted for the current step
 * and the one before or after (clock drift), and never twice.
 */
@Service
public class OperatorSecondFactor {

	public static final String ENROLLED = "admin.operator.second-factor-enrolled";

	private static final String ALGORITHM = TimeBasedOneTimePasswordGenerator.TOTP_ALGORITHM_HMAC_SHA1;

	private final TimeBasedOneTimePasswordGenerator totp = new TimeBasedOneTimePasswordGenerator();

	private final SecureRandom random = new SecureRandom();

	private final JdbcClient jdbc;

	private final PersonalDataCipher cipher;

	private final AuditLog audit;

	private final Clock clock;

	@org.springframework.beans.factory.annotation.Autowired
	OperatorSecondFactor(JdbcClient jdbc, PersonalDataCipher cipher, AuditLog audit) {
		this(jdbc, cipher, audit, Clock.systemUTC());
	}

	OperatorSecondFactor(JdbcClient jdbc, PersonalDataCipher cipher, AuditLog audit, Clock clock) {
		this.jdbc = jdbc;
		this.cipher = cipher;
		this.audit = audit;
		this.clock = clock;
	}

	/** Whether the account has a confirmed second factor. */
	public boolean enrolled(String accountId) {
		return this.jdbc.sql("SELECT COUNT(*) FROM console_operator_totp WHERE account_id = :id AND confirmed_at IS NOT NULL")
			.param("id", accountId)
			.query(Long.class)
			.single() > 0;
	}

	/**
	 * A new, unconfirmed secret for an account that has no confirmed one (replacing an earlier unconfirmed one).
	 * @return the secret in Base32 and as an {@code otpauth://} URI (for a QR code), to be shown once
	 * @throws IllegalStateException when the account already has a confirmed second factor
	 */
	@Transactional
	public Enrolment enrol(String accountId, String label) {
		if (enrolled(accountId)) {
			throw new IllegalStateException("This operator already has a second factor");
		}
		byte[] secret = new byte[20];
		this.random.nextBytes(secret);
		String base32 = Base32.toBase32String(secret).replace("=", "");
		this.jdbc.sql("DELETE FROM console_operator_totp WHERE account_id = :id").param("id", accountId).update();
		this.jdbc.sql("INSERT INTO console_operator_totp (account_id, secret_sealed, last_step) VALUES (:id, :s, -1)")
			.param("id", accountId)
			.param("s", this.cipher.seal(base32))
			.update();
		String uri = "otpauth://totp/" + enc("Tongxing:" + label) + "?secret=" + base32
				+ "&issuer=Tongxing&algorithm=SHA1&digits=6&period=30";
		return new Enrolment(base32, uri);
	}

	/** Confirms an enrolment with a first code from the app. */
	@Transactional
	public boolean confirm(String accountId, String code, String actor) {
		if (enrolled(accountId) || !check(accountId, code)) {
			return false;
		}
		this.jdbc.sql("UPDATE console_operator_totp SET confirmed_at = :at WHERE account_id = :id")
			.param("at", OffsetDateTime.ofInstant(Instant.now(this.clock), ZoneOffset.UTC))
			.param("id", accountId)
			.update();
		this.audit.record(AuditEntry.of(ENROLLED).actor(actor).subject(accountId));
		return true;
	}

	/** Checks a code of a confirmed second factor (at sign-in). */
	@Transactional
	public boolean verify(String accountId, String code) {
		return enrolled(accountId) && check(accountId, code);
	}

	private boolean check(String accountId, String code) {
		if (code == null || !code.strip().matches("[0-9]{6}")) {
			return false;
		}
		var row = this.jdbc.sql("SELECT secret_sealed, last_step FROM console_operator_totp WHERE account_id = :id FOR UPDATE")
			.param("id", accountId)
			.query((rs, n) -> new Object[] { rs.getString(1), rs.getLong(2) })
			.optional();
		if (row.isEmpty()) {
			return false;
		}
		SecretKeySpec key = new SecretKeySpec(Base32.decode(pad((String) this.cipher.open((String) row.get()[0]))), ALGORITHM);
		long lastStep = (Long) row.get()[1];
		Instant now = Instant.now(this.clock);
		long period = this.totp.getTimeStep().toSeconds();
		long step = now.getEpochSecond() / period;
		for (long s = step - 1; s <= step + 1; s++) {
			if (s <= lastStep) {
				continue; // a code used once is never accepted again
			}
			try {
				String expected = this.totp.generateOneTimePasswordString(key, Instant.ofEpochSecond(s * period));
				if (java.security.MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
						code.strip().getBytes(StandardCharsets.US_ASCII))) {
					this.jdbc.sql("UPDATE console_operator_totp SET last_step = :s WHERE account_id = :id")
						.param("s", s)
						.param("id", accountId)
						.update();
					return true;
				}
			}
			catch (InvalidKeyException ex) {
				throw new IllegalStateException("A TOTP secret the HMAC refuses", ex);
			}
		}
		return false;
	}

	private static String pad(String base32) {
		int rest = base32.length() % 8;
		return rest == 0 ? base32 : base32 + "=".repeat(8 - rest);
	}

	private static String enc(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
	}

	/** @param secret Base32, for typing into an app; @param uri for a QR code */
	public record Enrolment(String secret, String uri) {

	}

}
