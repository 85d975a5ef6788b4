package dev.tongxing.server.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.crypto.Digests;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.OAuthClient;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The privacy policy is public, in both languages, with a version and a hash of its exact text. */
class PrivacyPolicyTest extends GatewayTest {

	@Test
	void thePolicyPageSpeaksBothLanguagesWithoutSignIn() {
		HttpResponse<String> zh = browser().get("/privacy/policy", "zh-CN");
		assertThat(zh.statusCode()).isEqualTo(200);
		assertThat(zh.body()).contains("data-testid=\"privacy-policy\"").contains("通行隐私政策").contains("data-version=\"1\"");
		HttpResponse<String> en = browser().get("/privacy/policy", "en");
		assertThat(en.body()).contains("Tongxing privacy policy");
		assertThat(browser().get("/privacy/policy?version=nope").statusCode()).isEqualTo(404);
	}

	@Test
	void theVersionListSaysWhatChangedInTheReadersLanguage() {
		assertThat(browser().get("/privacy/policy", "zh-CN").body()).contains("— 首个版本").doesNotContain("First version");
		assertThat(browser().get("/privacy/policy", "en").body()).contains("— First version");
	}

	@Test
	void theJsonNamesVersionDateAndTheHashOfTheExactText() {
		var json = new OAuthClient(this.issuer).get("/privacy/policy.json", null).json();
		assertThat(json).containsEntry("version", "1").containsEntry("effective_date", "2026-11-01")
			.containsEntry("policy_uri", this.issuer + "/privacy/policy");
		@SuppressWarnings("unchecked")
		Map<String, String> text = (Map<String, String>) json.get("text");
		assertThat(json.get("text_sha256")).isEqualTo(Digests.sha256Hex(text.get("zh-CN") + "\n" + text.get("en")));
	}

}
