package dev.tongxing.server.consent;

import java.time.LocalDate;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tongxing.privacy.*}: the versions of the privacy policy. The one in force is the newest whose
 * effective date has come. Texts are Markdown files (zh-CN and English); a bundled version 1 is used
 * when none is configured.
 */
@ConfigurationProperties("tongxing.privacy")
public record PrivacyProperties(@DefaultValue List<Policy> policies) {

	/**
	 * @param material whether the change needs everyone's consent again at their next sign-in
	 * @param changes what changed since the previous version, in plain words (English, and the Chinese page's
	 * when {@code changes-zh} is not set)
	 * @param changesZh the same in Chinese, for the Chinese page
	 * @param textZh a Spring resource location of the Chinese text (Markdown)
	 * @param textEn a Spring resource location of the English text (Markdown)
	 */
	public record Policy(String version, LocalDate effectiveDate, @DefaultValue("true") boolean material,
			String changes, String textZh, String textEn, String changesZh) {
	}

	static final Policy BUNDLED = new Policy("1", LocalDate.of(2026, 11, 1), true, "First version",
			"classpath:privacy/v1.zh-CN.md", "classpath:privacy/v1.en.md", "首个版本");

}
