package dev.tongxing.server.consent;

import java.util.Locale;
import java.util.Map;

/**
 * What a person reads before giving separate consent (PIPL Art. 29-30): why the data is necessary and how
 * processing it affects their rights, in Chinese and English. Each text's version is a digest of its words in
 * every language, so a changed word is a new version that no earlier consent covers; {@link #version()} joins
 * the two and is what a native app sends back.
 *
 * @param id the notice, e.g. {@code phone-number}
 * @param necessity the necessity text by language tag ({@code zh-CN}, {@code en})
 * @param impact the impact text by language tag
 */
public record SeparateNotice(String id, Map<String, String> necessity, Map<String, String> impact,
		String necessityVersion, String impactVersion) {

	public SeparateNotice {
		necessity = Map.copyOf(necessity);
		impact = Map.copyOf(impact);
	}

	/** The version of the whole notice: {@code <necessity version>.<impact version>}. */
	public String version() {
		return this.necessityVersion + "." + this.impactVersion;
	}

	public String necessity(Locale locale) {
		return pick(this.necessity, locale);
	}

	public String impact(Locale locale) {
		return pick(this.impact, locale);
	}

	private static String pick(Map<String, String> texts, Locale locale) {
		return "zh".equals(locale.getLanguage()) ? texts.get("zh-CN") : texts.get("en");
	}

}
