package dev.tongxing.server.connector.phone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** The service other packages use, on the real database: codes, their life, and the send limits. */
class PhoneVerificationTest extends GatewayTest {

	@Autowired
	PhoneVerification phones;

	@Autowired
	SmsSender sender;

	@Autowired
	MutableClock clock;

	@Autowired
	JdbcClient jdbc;

	@BeforeEach
	@AfterEach
	void freshState() {
		this.clock.reset();
		this.jdbc.sql("DELETE FROM phone_code").update();
		this.jdbc.sql("DELETE FROM phone_send_gate").update();
	}

	@Test
	void sendsASixDigitCodeThatVerifiesOnceWhicheverWayTheNumberIsWritten() {
		Instant before = this.clock.instant();
		SendOutcome sent = this.phones.send("138 0013 8000", "203.0.113.1");
		assertThat(sent).isInstanceOf(SendOutcome.Sent.class);
		assertThat(((SendOutcome.Sent) sent).phone()).isEqualTo("+8613800138000");
		assertThat(((SendOutcome.Sent) sent).expiresAt()).as("five minutes from now")
			.isBetween(before.plus(Duration.ofMinutes(5)), this.clock.instant().plus(Duration.ofMinutes(5)));
		String code = lastCode("+8613800138000");
		assertThat(code).matches("[0-9]{6}");
		assertThat(this.phones.verify("+86 138-0013-8000", code)).isEqualTo(new VerifyOutcome.Verified("+8613800138000"));
		assertThat(this.phones.verify("13800138000", code)).isEqualTo(new VerifyOutcome.NoCode());
	}

	@Test
	void wrongCodesCountDownAndTheLastOneKillsTheCode() {
		this.phones.send("13800138000", "203.0.113.1");
		String code = lastCode("+8613800138000");
		String wrong = code.equals("999999") ? "000000" : "999999";
		for (int left = 4; left >= 0; left--) {
			assertThat(this.phones.verify("13800138000", wrong)).isEqualTo(new VerifyOutcome.WrongCode(left));
		}
		assertThat(this.phones.verify("13800138000", code)).isEqualTo(new VerifyOutcome.TooManyAttempts());
		// a new code starts over
		this.clock.advance(Duration.ofSeconds(61));
		this.phones.send("13800138000", "203.0.113.1");
		assertThat(this.phones.verify("13800138000", lastCode("+8613800138000")))
			.isInstanceOf(VerifyOutcome.Verified.class);
	}

	@Test
	void aNewCodeReplacesTheOldOne() {
		this.phones.send("13800138000", "203.0.113.1");
		String first = lastCode("+8613800138000");
		this.clock.advance(Duration.ofSeconds(61));
		this.phones.send("13800138000", "203.0.113.1");
		String second = lastCode("+8613800138000");
		if (!first.equals(second)) {
			assertThat(this.phones.verify("13800138000", first)).isEqualTo(new VerifyOutcome.WrongCode(4));
		}
		assertThat(this.phones.verify("13800138000", second)).isInstanceOf(VerifyOutcome.Verified.class);
	}

	@Test
	void codesLiveFiveMinutes() {
		this.phones.send("13800138000", "203.0.113.1");
		String code = lastCode("+8613800138000");
		this.clock.advance(Duration.ofMinutes(5));
		assertThat(this.phones.verify("13800138000", code)).isEqualTo(new VerifyOutcome.Expired());
	}

	@Test
	void oneCodeAMinuteAndTenADayPerNumber() {
		Instant start = this.clock.instant();
		assertThat(this.phones.send("13800138000", "203.0.113.1")).isInstanceOf(SendOutcome.Sent.class);
		// another address does not help: the number's own limit holds
		SendOutcome limited = this.phones.send("+8613800138000", "198.51.100.7");
		assertThat(limited).isInstanceOf(SendOutcome.Limited.class);
		assertThat(((SendOutcome.Limited) limited).retryAt()).isBetween(start.plusSeconds(59), start.plusSeconds(61));
		for (int i = 2; i <= 10; i++) {
			this.clock.advance(Duration.ofSeconds(61));
			assertThat(this.phones.send("13800138000", "203.0.113." + i)).as("send %d", i)
				.isInstanceOf(SendOutcome.Sent.class);
		}
		this.clock.advance(Duration.ofSeconds(61));
		SendOutcome eleventh = this.phones.send("13800138000", "203.0.113.11");
		assertThat(eleventh).isInstanceOf(SendOutcome.Limited.class);
		assertThat(((SendOutcome.Limited) eleventh).retryAt()).isBetween(start.plus(Duration.ofDays(1)).minusSeconds(1),
				start.plus(Duration.ofDays(1)).plusSeconds(1));
		this.clock.advance(Duration.between(this.clock.instant(), ((SendOutcome.Limited) eleventh).retryAt()));
		assertThat(this.phones.send("13800138000", "203.0.113.11")).isInstanceOf(SendOutcome.Sent.class);
	}

	@Test
	void oneCodeAMinuteAndTenADayPerAddress() {
		assertThat(this.phones.send("13800138000", "203.0.113.1")).isInstanceOf(SendOutcome.Sent.class);
		assertThat(this.phones.send("13900139000", "203.0.113.1")).isInstanceOf(SendOutcome.Limited.class);
		assertThat(this.phones.send("13900139000", "203.0.113.2")).as("another address")
			.isInstanceOf(SendOutcome.Sent.class);
		for (int i = 1; i <= 9; i++) {
			this.clock.advance(Duration.ofSeconds(61));
			assertThat(this.phones.send("1370013700" + i, "203.0.113.1")).isInstanceOf(SendOutcome.Sent.class);
		}
		this.clock.advance(Duration.ofSeconds(61));
		assertThat(this.phones.send("13600136000", "203.0.113.1")).isInstanceOf(SendOutcome.Limited.class);
	}

	@Test
	void concurrentRequestsForOneNumberSendOneCode() throws Exception {
		List<Callable<SendOutcome>> requests = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			String ip = "192.0.2." + i;
			requests.add(() -> this.phones.send("13800138000", ip));
		}
		List<SendOutcome> outcomes = new ArrayList<>();
		try (var pool = Executors.newFixedThreadPool(8)) {
			for (Future<SendOutcome> f : pool.invokeAll(requests)) {
				outcomes.add(f.get());
			}
		}
		assertThat(outcomes).filteredOn(SendOutcome.Sent.class::isInstance).hasSize(1);
		assertThat(outcomes).filteredOn(SendOutcome.Limited.class::isInstance).hasSize(7);
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM phone_code").query(Integer.class).single()).isEqualTo(1);
	}

	@Autowired
	PhoneNumbers numbers;

	@Autowired
	PhoneCodes codes;

	@Autowired
	PhoneDigests digests;

	@Autowired
	SmsTexts texts;

	@Autowired
	PhoneProperties properties;

	@Autowired
	TransactionTemplate tx;

	@Test
	void aCodeThatCouldNotBeSentNeitherWorksNorCounts() {
		SmsSender down = message -> {
			throw new SmsDeliveryException("provider down");
		};
		PhoneVerification failing = new JdbcPhoneVerification(this.numbers, this.codes, this.digests, down, this.texts,
				this.properties, this.tx, this.clock);
		assertThat(failing.send("13800138000", "203.0.113.1")).isEqualTo(new SendOutcome.Failed("+8613800138000", "sms refused", false));
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM phone_code").query(Integer.class).single()).isZero();
		assertThat(this.phones.send("13800138000", "203.0.113.1")).as("not held back by the failed attempt")
			.isInstanceOf(SendOutcome.Sent.class);
		assertThat(JdbcPhoneVerification.masked("+8613800138000")).isEqualTo("+86138***00");
	}

	@Test
	void invalidNumbersAreNamedAsSuch() {
		assertThat(this.phones.send("12345", "203.0.113.1")).isEqualTo(new SendOutcome.InvalidNumber());
		assertThat(this.phones.verify("12345", "123456")).isEqualTo(new VerifyOutcome.InvalidNumber());
		assertThat(this.phones.available()).isTrue();
	}

	String lastCode(String e164) {
		return ((LogSmsSender) this.sender).latestPerPhone()
			.stream()
			.filter(m -> m.phone().equals(e164))
			.findFirst()
			.orElseThrow()
			.code();
	}

}
