package dev.tongxing.server.complaint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tongxing.server.connector.phone.PhoneNumbers;
import dev.tongxing.server.connector.phone.PhoneProperties;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Ticket numbers, contacts and the desk's settings, without a gateway. */
class TicketNumbersTest {

	@Test
	void numbersAreReadableRandomAndForgiving() {
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < 1000; i++) {
			String number = TicketNumbers.next(Instant.parse("2026-11-28T22:00:00Z"));
			assertThat(number).matches(TicketNumbers.PATTERN).startsWith("TX-2026-").doesNotContainPattern("[ILOU]");
			seen.add(number);
		}
		assertThat(seen).hasSize(1000);
		assertThat(TicketNumbers.normalise(" tx-2026-7kq4-m9xd ")).isEqualTo("TX-2026-7KQ4-M9XD");
		assertThat(TicketNumbers.normalise("TX-2026-O1IL-0000")).isEqualTo("TX-2026-0111-0000");
		assertThat(TicketNumbers.normalise("TX-2O26-0000-0000")).isNull(); // the year is digits
		assertThat(TicketNumbers.normalise("TX-2026-0000-000")).isNull();
		assertThat(TicketNumbers.normalise("../../etc/passwd")).isNull();
		assertThat(TicketNumbers.normalise(null)).isNull();
		assertThat(TicketNumbers.accessKey()).hasSize(43).isNotEqualTo(TicketNumbers.accessKey());
	}

	@Test
	void contactsArePhoneNumbersOrEmailAddresses() {
		PhoneNumbers phones = new PhoneNumbers(new PhoneProperties("CN", Duration.ofMinutes(5), 5,
				new PhoneProperties.Limits(new PhoneProperties.Limit(1, 10), new PhoneProperties.Limit(1, 10))));
		assertThat(Contact.parse("138 0013 8000", phones)).contains(new Contact("phone", "+8613800138000"));
		assertThat(Contact.parse("+86-138-0013-8000", phones)).contains(new Contact("phone", "+8613800138000"));
		assertThat(Contact.parse(" Li.Lei@Example.CN ", phones)).contains(new Contact("email", "Li.Lei@example.cn"));
		for (String bad : new String[] { "", "  ", "hello", "a@b", "a@@b.cn", "a b@c.cn", "010 6552 9988", "12345",
				"x".repeat(250) + "@a.cn" }) {
			assertThat(Contact.parse(bad, phones)).as(bad).isEmpty();
		}
	}

	@Test
	void settingsAreCheckedAtStart() {
		assertThatThrownBy(() -> settings(Duration.ofHours(2), Duration.ofHours(3)))
			.hasMessageContaining("escalate-before must be");
		assertThatThrownBy(() -> settings(Duration.ofMinutes(1), Duration.ZERO)).hasMessageContaining("first-response");
		assertThat(settings(Duration.ofHours(2), Duration.ofMinutes(30)).firstResponse()).hasHours(2);
		assertThatThrownBy(() -> new ComplaintProperties.Escalation(java.net.URI.create("ftp://x/"), "cn",
				Duration.ofSeconds(5), 5)).hasMessageContaining("webhook-url");
	}

	static ComplaintProperties settings(Duration firstResponse, Duration escalateBefore) {
		return new ComplaintProperties(firstResponse, escalateBefore, Duration.ofMinutes(1), Duration.ofDays(180),
				new ComplaintProperties.Escalation(null, "cn", Duration.ofSeconds(5), 5),
				new ComplaintProperties.Failures(Duration.ofHours(24), Duration.ofHours(1), 20),
				new ComplaintProperties.Limits(5, 3), ZoneId.of("Asia/Shanghai"));
	}

}
