package dev.tongxing.server.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.TestBrowser;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Each button of the login page shows its connector's declared icon, served publicly, in both languages. */
class LoginPageIconsTest extends GatewayTest {

	private static final Pattern ICON = Pattern.compile("data-provider=\"([a-z:-]+)\"><img class=\"icon\" src=\"([^\"]+)\"");

	@Test
	void everyButtonWithADeclaredIconShowsItAndTheIconIsServed() {
		for (String language : new String[] { "en", "zh-CN" }) {
			TestBrowser browser = browser();
			HttpResponse<String> page = browser.get("/login", language);
			assertThat(page.statusCode()).isEqualTo(200);
			Matcher icons = ICON.matcher(page.body());
			java.util.Map<String, String> found = new java.util.HashMap<>();
			while (icons.find()) {
				found.put(icons.group(1), icons.group(2));
			}
			assertThat(found).containsEntry("wechat", "/images/wechat.svg").containsEntry("phone", "/images/phone.svg");
			for (String icon : found.values()) {
				HttpResponse<String> image = browser.get(icon);
				assertThat(image.statusCode()).as(icon).isEqualTo(200);
				assertThat(image.headers().firstValue("Content-Type").orElse("")).as(icon).startsWith("image/svg+xml");
				assertThat(image.body()).startsWith("<svg");
			}
			// the label, not the picture, says what the button does
			assertThat(page.body()).contains("alt=\"\" aria-hidden=\"true\"");
		}
	}

}
