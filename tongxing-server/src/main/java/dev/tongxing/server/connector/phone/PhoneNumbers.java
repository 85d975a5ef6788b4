package dev.tongxing.server.connector.phone;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import dev.tongxing.server.kernel.MobileNumbers;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Turns phone numbers as people type them into E.164 ({@code +8613800138000}), so one number is one key
 * however it was written. Only numbers that can receive SMS pass: landlines, toll-free and premium-rate
 * numbers do not.
 */
@Component
public class PhoneNumbers implements MobileNumbers {

	private static final int MAX_INPUT = 40;

	private static final Set<PhoneNumberType> CAN_RECEIVE_SMS = Set.of(PhoneNumberType.MOBILE,
			PhoneNumberType.FIXED_LINE_OR_MOBILE);

	private final PhoneNumberUtil util = PhoneNumberUtil.getInstance();

	private final String defaultRegion;

	public PhoneNumbers(PhoneProperties properties) {
		this.defaultRegion = properties.defaultRegion().toUpperCase(Locale.ROOT);
		if (!this.util.getSupportedRegions().contains(this.defaultRegion)) {
			throw new IllegalArgumentException("tongxing.phone.default-region '" + properties.defaultRegion()
					+ "' is not a region code libphonenumber knows (e.g. CN, HK, US)");
		}
	}

	/** @return the E.164 form, or empty when the input is not a mobile number */
	@Override
	public Optional<String> toE164(String raw) {
		if (raw == null || raw.isBlank() || raw.length() > MAX_INPUT) {
			return Optional.empty();
		}
		try {
			PhoneNumber number = this.util.parse(raw.strip(), this.defaultRegion);
			if (!this.util.isValidNumber(number) || !CAN_RECEIVE_SMS.contains(this.util.getNumberType(number))) {
				return Optional.empty();
			}
			return Optional.of(this.util.format(number, PhoneNumberFormat.E164));
		}
		catch (NumberParseException ex) {
			return Optional.empty();
		}
	}

	/** An E.164 number as people read it, e.g. {@code +86 138 0013 8000}. */
	@Override
	public String display(String e164) {
		try {
			return this.util.format(this.util.parse(e164, null), PhoneNumberFormat.INTERNATIONAL);
		}
		catch (NumberParseException ex) {
			return e164;
		}
	}

}
