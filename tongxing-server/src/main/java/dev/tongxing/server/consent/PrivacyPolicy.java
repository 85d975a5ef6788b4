package dev.tongxing.server.consent;

import java.time.LocalDate;
import java.util.Locale;

/**
 * One version of the privacy policy, as shown to people.
 *
 * @param textSha256 the hash of the exact texts (Chinese, a newline, English) that consent records refer to
 */
public record PrivacyPolicy(String version, LocalDate effectiveDate, boolean material, String changes,
		String markdownZh, String markdownEn, String htmlZh, String htmlEn, String textSha256, String changesZh) {

	/** What changed, in the reader's language (Chinese falls back to the English words when none are given). */
	public String changes(Locale locale) {
		return "en".equals(locale.getLanguage()) || this.changesZh == null ? this.changes : this.changesZh;
	}

	public String html(Locale locale) {
		return "en".equals(locale.getLanguage()) ? this.htmlEn : this.htmlZh;
	}

}
