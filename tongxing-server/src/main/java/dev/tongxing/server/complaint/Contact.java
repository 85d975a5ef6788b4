package dev.tongxing.server.complaint;

import dev.tongxing.server.kernel.MobileNumbers;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How to reach the person who complained: a mobile number (E.164) or an e-mail address, normalised so one
 * contact is one lookup hash however it was typed.
 *
 * @param kind {@code phone} or {@code email}
 * @param value the normalised value (personal data: only ever stored sealed)
 */
record Contact(String kind, String value) {

	static final int MAX_LENGTH = 254;

	/** Deliberately plain: one @, a dot in the domain, no spaces; the operator answers it by hand anyway. */
	private static final Pattern EMAIL = Pattern
		.compile("[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+");

	/** @return the contact, or empty when the input is neither a mobile number nor an e-mail address */
	static Optional<Contact> parse(String raw, MobileNumbers phones) {
		if (raw == null || raw.isBlank() || raw.length() > MAX_LENGTH) {
			return Optional.empty();
		}
		String input = raw.strip();
		if (input.contains("@")) {
			if (!EMAIL.matcher(input).matches()) {
				return Optional.empty();
			}
			int at = input.lastIndexOf('@');
			// the domain is case-insensitive; the local part, strictly speaking, is not
			return Optional.of(new Contact("email", input.substring(0, at) + input.substring(at).toLowerCase(Locale.ROOT)));
		}
		return phones.toE164(input).map(e164 -> new Contact("phone", e164));
	}

}
