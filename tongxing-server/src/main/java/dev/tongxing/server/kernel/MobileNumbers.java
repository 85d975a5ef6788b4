package dev.tongxing.server.kernel;

import java.util.Optional;

/**
 * Mobile numbers as one key: what a package outside the phone connector needs to read a number a person typed
 * (the complaint form's contact, for one). The phone connector implements it with libphonenumber.
 */
public interface MobileNumbers {

	/** @return the E.164 form ({@code +8613800138000}), or empty when the input is not a mobile number */
	Optional<String> toE164(String raw);

	/** An E.164 number as people read it, e.g. {@code +86 138 0013 8000}. */
	String display(String e164);

}
