package dev.tongxing.server.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.TestBrowser;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The gateway's own Chinese pages address the person as 您 throughout, and show a client's name in the page's
 * language when the messages have one ({@code client.name.<client-id>}: the demo client's).
 */
class GatewayTextsTest extends GatewayTest {

	private static final Pattern DEMO_ROW = Pattern.compile("data-recipient=\"demo\">\\s*<td>([^<]*)</td>");

	@Test
	void theDemoClientsNameIsInThePagesLanguage() {
		TestBrowser browser = browser();
		assertThat(row(browser.get("/privacy/third-parties", "zh-CN").body())).isEqualTo("通行演示客户端");
		assertThat(row(browser.get("/privacy/third-parties", "en").body())).isEqualTo("Tongxing demo client");
	}

	@Test
	void theChinesePagesSayNin() {
		TestBrowser browser = browser();
		String name = "nin-" + UUID.randomUUID().toString().substring(0, 8);
		browser.follow(browser.submit(browser.get("/login/dev"), "/login/dev", Map.of("username", name)), null);
		for (String path : new String[] { "/login?signed-out", "/account", "/account/consents", "/account/activity",
				"/privacy/consent/confirm", "/status" }) {
			String body = browser.get(path, "zh-CN").body();
			assertThat(body).as(path).doesNotContain("你");
		}
	}

	private static String row(String page) {
		Matcher m = DEMO_ROW.matcher(page);
		assertThat(m.find()).as("the demo client's row").isTrue();
		return m.group(1).strip();
	}

}
