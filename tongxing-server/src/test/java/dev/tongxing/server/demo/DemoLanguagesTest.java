package dev.tongxing.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.GatewayTest;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.web.util.HtmlUtils;

/**
 * The demo speaks one language at a time, the browser's (Accept-Language): all of it in Chinese or all of it in
 * English, the texts its script shows included (they come with the page, data-text-*). Every demo text exists in
 * both bundles.
 */
class DemoLanguagesTest extends GatewayTest {

	static Map<String, String> demoTexts(String bundle) throws IOException {
		Properties properties = new Properties();
		try (Reader reader = new InputStreamReader(DemoLanguagesTest.class.getResourceAsStream("/" + bundle),
				StandardCharsets.UTF_8)) {
			properties.load(reader);
		}
		Map<String, String> texts = new TreeMap<>();
		properties.forEach((key, value) -> {
			if (key.toString().startsWith("demo.")) {
				texts.put(key.toString(), value.toString());
			}
		});
		return texts;
	}

	@Test
	void everyDemoTextHasBothLanguages() throws IOException {
		Map<String, String> en = demoTexts("messages.properties");
		Map<String, String> zh = demoTexts("messages_zh_CN.properties");
		assertThat(zh.keySet()).isEqualTo(en.keySet());
		assertThat(zh.values()).noneMatch(value -> value.chars().noneMatch(DemoLanguagesTest::isHan)
				&& !value.matches("HTTP \\{0\\}"));
	}

	@Test
	void theEnglishPageHasNoChinese() {
		HttpResponse<String> page = browser().get("/demo", "en");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("lang=\"en\"").contains(">Sign in with Tongxing<")
			.contains("data-text-valid=\"checked against the keys the gateway publishes (JWKS)\"");
		assertThat(page.body().chars().filter(DemoLanguagesTest::isHan).mapToObj(Character::toString))
			.as("Chinese on the English page").isEmpty();
	}

	@Test
	void theChinesePageHasNoEnglishText() throws IOException {
		HttpResponse<String> page = browser().get("/demo", "zh-CN,zh;q=0.9");
		assertThat(page.statusCode()).isEqualTo(200);
		String html = HtmlUtils.htmlUnescape(page.body());
		assertThat(html).contains("lang=\"zh-CN\"").contains(">使用通行登录<").contains("data-text-valid=\"已用网关公布的密钥（JWKS）验证\"");
		Map<String, String> zh = demoTexts("messages_zh_CN.properties");
		demoTexts("messages.properties").forEach((key, english) -> {
			// a technical term the Chinese text keeps in brackets, 用户信息（UserInfo）, is no English left behind
			if (!zh.get(key).contains(english)) {
				assertThat(html).as(key).doesNotContain(english).contains(zh.get(key));
			}
		});
	}

	static boolean isHan(int c) {
		return Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN;
	}

}
