package dev.tongxing.server.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.GatewayTest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class LoginPageTest extends GatewayTest {

	@Test
	void speaksChineseByDefaultAndEnglishOnRequest() {
		HttpResponse<String> zh = browser().get("/login", "zh-CN,zh;q=0.9");
		assertThat(zh.statusCode()).isEqualTo(200);
		assertThat(zh.body()).contains("lang=\"zh-CN\"").contains("请选择登录方式");
		HttpResponse<String> en = browser().get("/login", "en-US,en;q=0.9");
		assertThat(en.body()).contains("lang=\"en\"").contains("Choose how you want to sign in");
		HttpResponse<String> other = browser().get("/login", "fr-FR");
		assertThat(other.body()).contains("请选择登录方式");
	}

	@Test
	void listsEnabledMethodsWithStableAutomationHooks() {
		HttpResponse<String> page = browser().get("/login");
		assertThat(page.body()).contains("data-provider=\"dev\"");
	}

	@Test
	void credentialPagesCannotBeFramed() {
		for (String path : new String[] { "/login", "/login/dev" }) {
			HttpResponse<String> page = browser().get(path);
			assertThat(page.headers().firstValue("X-Frame-Options")).as(path).hasValue("DENY");
			assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).as(path)
				.contains("frame-ancestors 'none'");
		}
	}

	@Test
	void devLoginRejectsOddNamesWithAMessage() {
		var browser = browser();
		HttpResponse<String> page = browser.get("/login/dev");
		HttpResponse<String> reply = browser.submit(page, "/login/dev", java.util.Map.of("username", "<script>"));
		assertThat(reply.statusCode()).isEqualTo(200);
		assertThat(reply.body()).contains("role=\"alert\"").doesNotContain("<script>");
	}

	@Test
	void unknownPagesGetAReadablePage() {
		HttpResponse<String> page = browser().get("/login/nothing-here");
		assertThat(page.statusCode()).isEqualTo(404);
		assertThat(page.body()).contains("data-testid=\"error-message\"").doesNotContain("Exception");
	}

}
