package dev.tongxing.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.connector.wechat.WechatFailures;
import dev.tongxing.server.login.LoginFailureCause;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.springframework.context.support.ResourceBundleMessageSource;

/** Every cause and every known upstream error is explained, in both languages. */
class FailureCatalogTest {

	final FailureCatalog catalog = FailureCatalog.of(List.of(WechatFailures.ADVICE));

	@Test
	void everyKeyExistsInEnglishAndChinese() {
		ResourceBundleMessageSource messages = new ResourceBundleMessageSource();
		messages.setBasename("i18n/ops");
		messages.setDefaultEncoding("UTF-8");
		messages.setFallbackToSystemLocale(false);
		for (LoginFailureCause cause : LoginFailureCause.values()) {
			FailureExplanation why = this.catalog.explain(cause, null);
			for (String key : new String[] { why.explanationKey(), why.actionKey(), why.publicKey() }) {
				String en = messages.getMessage(key, null, Locale.ENGLISH);
				String zh = messages.getMessage(key, null, Locale.SIMPLIFIED_CHINESE);
				assertThat(en).isNotBlank();
				assertThat(zh).isNotEqualTo(en);
			}
		}
		for (var advice : WechatFailures.ADVICE.codes().values()) {
			assertThat(messages.getMessage(advice.adviceKey(), null, Locale.SIMPLIFIED_CHINESE))
				.isNotEqualTo(messages.getMessage(advice.adviceKey(), null, Locale.ENGLISH));
		}
	}

	@Test
	void theExactUpstreamErrorGetsItsOwnAdvice() {
		assertThat(this.catalog.upstreamAdviceKey("/sns/oauth2/access_token errcode 40125"))
			.isEqualTo("ops.wechat.errcode.40125");
		assertThat(this.catalog.upstreamAdviceKey("/sns/oauth2/access_token errcode -1"))
			.isEqualTo("ops.wechat.errcode.-1");
		assertThat(this.catalog.upstreamAdviceKey("/sns/oauth2/access_token timeout")).isEqualTo("ops.upstream.timeout");
		assertThat(this.catalog.upstreamAdviceKey("/sns/userinfo circuit_open")).isEqualTo("ops.upstream.circuit_open");
		assertThat(this.catalog.upstreamAdviceKey("/sns/oauth2/access_token errcode 99999")).isNull();
		assertThat(this.catalog.upstreamAdviceKey(null)).isNull();
	}

	@Test
	void bundlesHaveTheSameKeys() throws Exception {
		Properties en = new Properties();
		Properties zh = new Properties();
		try (var a = getClass().getResourceAsStream("/i18n/ops.properties");
				var b = getClass().getResourceAsStream("/i18n/ops_zh_CN.properties")) {
			en.load(new java.io.InputStreamReader(a, java.nio.charset.StandardCharsets.UTF_8));
			zh.load(new java.io.InputStreamReader(b, java.nio.charset.StandardCharsets.UTF_8));
		}
		assertThat(zh.keySet()).isEqualTo(en.keySet());
	}

}
