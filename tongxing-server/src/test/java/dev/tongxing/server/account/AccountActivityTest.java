package dev.tongxing.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.TestBrowser;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * PIPL Art. 45: a person sees their own sign-ins (time, method, network, outcome) and the browsers signed in to
 * their account, and can sign any other browser out.
 */
class AccountActivityTest extends GatewayTest {

	private static final Pattern BROWSER = Pattern.compile("name=\"browser\" value=\"([0-9a-f]+)\"");

	TestBrowser signedIn(String name) {
		TestBrowser browser = browser();
		browser.follow(browser.submit(browser.get("/login/dev"), "/login/dev", Map.of("username", name)), null);
		return browser;
	}

	@Test
	void signInsAndBrowsersAreShownAndAnotherBrowserCanBeSignedOut() {
		String name = "act-" + UUID.randomUUID().toString().substring(0, 8);
		TestBrowser phone = signedIn(name);
		TestBrowser laptop = signedIn(name);

		HttpResponse<String> page = laptop.get("/account/activity");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("data-testid=\"account-activity\"")
			.contains("data-testid=\"activity-sign-in\" data-method=\"dev\" data-success=\"true\"")
			.contains("127.0.0.0/24")
			.contains("Asia/Shanghai")
			.contains("data-current=\"true\"")
			.doesNotContain(laptop.cookie("SESSION") == null ? "\u0000" : laptop.cookie("SESSION"));
		assertThat(count(page.body(), "data-testid=\"activity-browser\"")).isEqualTo(2);
		assertThat(count(page.body(), "data-testid=\"activity-sign-in\"")).isGreaterThanOrEqualTo(2);

		// the other browser (the one not marked current) is signed out from here
		Matcher other = BROWSER.matcher(page.body());
		assertThat(other.find()).isTrue();
		HttpResponse<String> done = laptop.submit(page, "/account/activity/sign-out", Map.of("browser", other.group(1)));
		assertThat(done.headers().firstValue("Location").orElseThrow()).endsWith("/account/activity?notice=signed-out");
		assertThat(phone.get("/account").headers().firstValue("Location").orElse("")).contains("/login");
		HttpResponse<String> after = laptop.get("/account/activity");
		assertThat(count(after.body(), "data-testid=\"activity-browser\"")).isEqualTo(1);
		assertThat(laptop.get("/account").statusCode()).isEqualTo(200);

		// and in Chinese
		assertThat(laptop.get("/account/activity", "zh-CN").body()).contains("登录记录与设备").contains("登录成功");
	}

	@Test
	void everyOtherBrowserCanBeSignedOutAtOnce() {
		String name = "act-" + UUID.randomUUID().toString().substring(0, 8);
		TestBrowser one = signedIn(name);
		TestBrowser two = signedIn(name);
		TestBrowser here = signedIn(name);
		HttpResponse<String> page = here.get("/account/activity");
		assertThat(count(page.body(), "data-testid=\"activity-browser\"")).isEqualTo(3);
		HttpResponse<String> done = here.submit(page, "/account/activity/sign-out-others", Map.of());
		assertThat(done.headers().firstValue("Location").orElseThrow()).endsWith("notice=others-signed-out");
		assertThat(one.get("/account").headers().firstValue("Location").orElse("")).contains("/login");
		assertThat(two.get("/account").headers().firstValue("Location").orElse("")).contains("/login");
		assertThat(here.get("/account").statusCode()).isEqualTo(200);
	}

	@Test
	void anotherPersonsBrowserCannotBeSignedOut() {
		TestBrowser victim = signedIn("act-" + UUID.randomUUID().toString().substring(0, 8));
		// the victim's reference, as their own page would name it (the session cookie holds the id, Base64)
		String victimRef = AccountActivityController.ref(new String(
				java.util.Base64.getDecoder().decode(victim.cookie("SESSION")), java.nio.charset.StandardCharsets.UTF_8));
		TestBrowser attacker = signedIn("act-" + UUID.randomUUID().toString().substring(0, 8));
		HttpResponse<String> page = attacker.get("/account/activity");
		attacker.submit(page, "/account/activity/sign-out", Map.of("browser", victimRef));
		assertThat(victim.get("/account").statusCode()).isEqualTo(200);
	}

	static int count(String text, String needle) {
		int n = 0;
		for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
			n++;
		}
		return n;
	}

}
