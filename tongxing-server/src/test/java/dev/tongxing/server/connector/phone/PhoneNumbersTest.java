package dev.tongxing.server.connector.phone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneNumbersTest {

	static PhoneNumbers numbers(String region) {
		return new PhoneNumbers(new PhoneProperties(region, Duration.ofMinutes(5), 5, limits()));
	}

	static PhoneProperties.Limits limits() {
		return new PhoneProperties.Limits(new PhoneProperties.Limit(1, 10), new PhoneProperties.Limit(1, 10));
	}

	PhoneNumbers cn = numbers("CN");

	@ParameterizedTest
	@ValueSource(strings = { "13800138000", "+86 138 0013 8000", "+8613800138000", "138-0013-8000",
			" 138 0013 8000 ", "008613800138000", "(+86) 138 0013 8000" })
	void everyWayOfWritingAMainlandMobileIsOneE164Number(String typed) {
		assertThat(this.cn.toE164(typed)).hasValue("+8613800138000");
	}

	@Test
	void numbersFromElsewhereKeepTheirCountryCode() {
		assertThat(this.cn.toE164("+852 5123 4567")).hasValue("+85251234567");
		assertThat(this.cn.toE164("+1 650-253-0000")).hasValue("+16502530000");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "   ", "12345", "1380013800", "138001380001", "not a number", "+86 10 6552 9988",
			"400 810 8888", "+0 123", "13800138000 13800138000 13800138000 13800138000" })
	void rejectsWhatCannotReceiveAnSms(String typed) {
		// too short, too long, letters, a Beijing landline, a 400 service number, a country code that is none,
		// more than anyone types
		assertThat(this.cn.toE164(typed)).isEmpty();
	}

	@Test
	void rejectsNull() {
		assertThat(this.cn.toE164(null)).isEmpty();
	}

	@Test
	void defaultRegionDecidesNumbersWithoutCountryCode() {
		PhoneNumbers hk = numbers("hk");
		assertThat(hk.toE164("5123 4567")).hasValue("+85251234567");
		assertThat(hk.toE164("+86 138 0013 8000")).hasValue("+8613800138000");
	}

	@Test
	void unknownDefaultRegionStopsStartUp() {
		assertThatThrownBy(() -> numbers("XX")).hasMessageContaining("tongxing.phone.default-region");
	}

	@Test
	void displaysNumbersAsPeopleReadThem() {
		assertThat(this.cn.display("+8613800138000")).isEqualTo("+86 138 0013 8000");
	}

}
