package dev.tongxing.server.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.crypto.PersonalDataCipher;
import dev.tongxing.server.testing.GatewayTest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.util.encoders.Base32;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The operators' TOTP: shown once, sealed at rest, confirmed by a first code, each code good once. */
class OperatorSecondFactorTest extends GatewayTest {

	@Autowired
	JdbcClient jdbc;

	@Autowired
	PersonalDataCipher cipher;

	@Autowired
	AuditLog audit;

	/** What the operator's authenticator app shows at that instant. */
	static String app(String base32, Instant at) throws Exception {
		String padded = base32 + "=".repeat((8 - base32.length() % 8) % 8);
		return new TimeBasedOneTimePasswordGenerator()
			.generateOneTimePasswordString(new SecretKeySpec(Base32.decode(padded), "HmacSHA1"), at);
	}

	@Test
	void enrolConfirmAndVerifyEachCodeOnce() throws Exception {
		Instant t0 = Instant.parse("2026-12-03T10:00:00Z");
		Clock[] clock = { Clock.fixed(t0, ZoneOffset.UTC) };
		Clock moving = new Clock() {
			public java.time.ZoneId getZone() {
				return ZoneOffset.UTC;
			}

			public Clock withZone(java.time.ZoneId zone) {
				return this;
			}

			public Instant instant() {
				return clock[0].instant();
			}
		};
		OperatorSecondFactor factor = new OperatorSecondFactor(this.jdbc, this.cipher, this.audit, moving);
		String account = "op-" + UUID.randomUUID();
		OperatorSecondFactor.Enrolment enrolment = factor.enrol(account, "+8613800138000");
		assertThat(enrolment.uri()).startsWith("otpauth://totp/Tongxing%3A%2B8613800138000?secret=" + enrolment.secret());
		String stored = this.jdbc.sql("SELECT secret_sealed FROM console_operator_totp WHERE account_id = :id")
			.param("id", account)
			.query(String.class)
			.single();
		assertThat(stored).doesNotContain(enrolment.secret());
		assertThat(factor.enrolled(account)).isFalse();
		assertThat(factor.verify(account, app(enrolment.secret(), t0))).isFalse(); // not confirmed yet

		String wrong = app(enrolment.secret(), t0).equals("000000") ? "111111" : "000000";
		assertThat(factor.confirm(account, wrong, "test")).isFalse();
		assertThat(factor.confirm(account, app(enrolment.secret(), t0), "test")).isTrue();
		assertThat(factor.enrolled(account)).isTrue();
		assertThatThrownBy(() -> factor.enrol(account, "x")).isInstanceOf(IllegalStateException.class);

		// the code that confirmed cannot sign in; the next one can, once
		assertThat(factor.verify(account, app(enrolment.secret(), t0))).isFalse();
		Instant t1 = t0.plusSeconds(30);
		clock[0] = Clock.fixed(t1, ZoneOffset.UTC);
		assertThat(factor.verify(account, app(enrolment.secret(), t1))).isTrue();
		assertThat(factor.verify(account, app(enrolment.secret(), t1))).isFalse();
		// a code far from now is refused
		assertThat(factor.verify(account, app(enrolment.secret(), t1.plusSeconds(300)))).isFalse();
		assertThat(factor.verify(account, "12345")).isFalse();
	}

}
