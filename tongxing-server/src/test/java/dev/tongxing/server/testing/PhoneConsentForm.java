package dev.tongxing.server.testing;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ticks the phone-number notice's own box on a phone page, as a person does before sending their number
 * (separate consent, PIPL Art. 29-30): the box's value is the notice version the page showed.
 */
public final class PhoneConsentForm {

	private static final Pattern FIELD = Pattern.compile("name=\"phone-consent\" value=\"([^\"]+)\"");

	private PhoneConsentForm() {
	}

	/** {@code fields} plus the ticked box (or the hidden field, once this session gave the consent). */
	public static Map<String, String> agreed(HttpResponse<String> page, Map<String, String> fields) {
		Map<String, String> form = new LinkedHashMap<>(fields);
		form.put("phone-consent", version(page));
		return form;
	}

	/**
	 * The version of the phone-number notice a native app shows ({@code /privacy/notices/phone-number.json}) and
	 * sends back as {@code phone_consent} once the person accepted it.
	 */
	public static String nativeVersion(String issuer) {
		return (String) new OAuthClient(issuer).get("/privacy/notices/phone-number.json", null).json().get("version");
	}

	/** The notice version on the page. */
	public static String version(HttpResponse<String> page) {
		Matcher m = FIELD.matcher(page.body());
		if (!m.find()) {
			throw new AssertionError("No phone-number consent box on " + page.uri() + ":\n" + page.body());
		}
		return m.group(1);
	}

}
