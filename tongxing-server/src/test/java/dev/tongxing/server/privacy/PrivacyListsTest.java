package dev.tongxing.server.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.OAuthClient;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * PIPL Art. 13, 17, 23, 52, 55–56 and the 双清单: the collected-information list, the third-party list and the
 * processing register are public, in both languages, name the handler and the officer, and are generated from
 * the configuration.
 */
class PrivacyListsTest extends GatewayTest {

	@Test
	void theCollectedInformationListSpeaksBothLanguagesWithPurposeMethodAndRetention() {
		HttpResponse<String> zh = browser().get("/privacy/personal-information", "zh-CN");
		assertThat(zh.statusCode()).isEqualTo(200);
		assertThat(zh.body()).contains("data-testid=\"personal-information-list\"")
			.contains("个人信息收集清单")
			.contains("data-item=\"phone-number\"")
			.contains("手机号码")
			.contains("敏感个人信息")
			.contains("通过手机号找回账号")
			.contains("注销账号后删除")
			.contains("个人信息保护负责人：Wang Fang（dpo@tongxing.example）");
		HttpResponse<String> en = browser().get("/privacy/personal-information", "en");
		assertThat(en.body()).contains("List of personal information collected")
			.contains("WeChat nickname and avatar")
			.contains("How it is collected")
			.contains("Personal-information protection officer: Wang Fang (dpo@tongxing.example)")
			.contains("href=\"/privacy/third-parties\"");
	}

	@Test
	@SuppressWarnings("unchecked")
	void theCollectedInformationJsonHasEveryItemInBothLanguages() {
		var json = new OAuthClient(this.issuer).get("/privacy/personal-information.json", null).json();
		assertThat((Map<String, Object>) json.get("officer")).containsEntry("name", "Wang Fang")
			.containsEntry("contact", "dpo@tongxing.example");
		assertThat(json).containsEntry("policy_uri", this.issuer + "/privacy/policy");
		List<Map<String, Object>> items = (List<Map<String, Object>>) json.get("items");
		assertThat(items).extracting(i -> i.get("id")).contains("phone-number", "wechat-identifiers", "security-logs");
		for (Map<String, Object> item : items) {
			for (String field : List.of("name", "method", "retention")) {
				assertThat((Map<String, String>) item.get(field)).as(item.get("id") + " " + field)
					.containsKeys("zh-CN", "en");
			}
			assertThat((List<String>) item.get("purposes")).isNotEmpty();
		}
	}

	@Test
	void theThirdPartyListNamesEachClientWithItsCompanyContactPurposesAndData() {
		HttpResponse<String> en = browser().get("/privacy/third-parties", "en");
		assertThat(en.statusCode()).isEqualTo(200);
		assertThat(en.body()).contains("data-testid=\"third-party-list\"")
			.contains("data-recipient=\"partner\"")
			.contains("Partner Media Co., Ltd.")
			.contains("(privacy@partner.example.com)")
			.contains("Signing you in to the partner app")
			.contains("Separate company")
			.contains("data-recipient=\"wechat\"")
			.doesNotContain("data-recipient=\"backend\""); // a machine client receives nothing about people
		HttpResponse<String> zh = browser().get("/privacy/third-parties", "zh-CN");
		assertThat(zh.body()).contains("第三方共享清单").contains("其他个人信息处理者").contains("手机号码");
	}

	@Test
	@SuppressWarnings("unchecked")
	void theThirdPartyJsonListsTheClaimsTheWhitelistLetsThrough() {
		var json = new OAuthClient(this.issuer).get("/privacy/third-parties.json", null).json();
		List<Map<String, Object>> recipients = (List<Map<String, Object>>) json.get("recipients");
		Map<String, Object> partner = recipients.stream().filter(r -> "partner".equals(r.get("id"))).findFirst()
			.orElseThrow();
		assertThat(partner).containsEntry("company", "Partner Media Co., Ltd.")
			.containsEntry("contact", "privacy@partner.example.com")
			.containsEntry("role", "other-handler")
			.containsEntry("purposes", List.of("Signing you in to the partner app"));
		assertThat((List<String>) partner.get("claims")).containsExactly("sub", "name", "picture", "phone_number",
				"phone_number_verified");
		assertThat((List<String>) partner.get("items")).contains("phone-number", "wechat-profile",
				"subject-identifier");
		Map<String, Object> liveWeb = recipients.stream().filter(r -> "live-web".equals(r.get("id"))).findFirst()
			.orElseThrow();
		assertThat(liveWeb).containsEntry("role", "same-handler").containsEntry("company", "Tongxing Demo Ltd.");
		Map<String, Object> wechat = recipients.stream().filter(r -> "wechat".equals(r.get("id"))).findFirst()
			.orElseThrow();
		assertThat((List<Map<String, String>>) wechat.get("purposes")).first()
			.satisfies(p -> assertThat(p).containsKeys("zh-CN", "en"));
	}

	@Test
	@SuppressWarnings("unchecked")
	void theRegisterGivesEachPurposeOneLegalBasisAndEachRiskyOneItsImpactAssessment() {
		var json = new OAuthClient(this.issuer).get("/privacy/processing-register.json", null).json();
		List<Map<String, Object>> purposes = (List<Map<String, Object>>) json.get("purposes");
		assertThat(purposes).extracting(p -> p.get("legal_basis"))
			.allSatisfy(basis -> assertThat(basis).isIn("contract", "consent", "legal-duty"));
		Map<String, Object> sharing = purposes.stream().filter(p -> "third-party-provision".equals(p.get("id")))
			.findFirst().orElseThrow();
		assertThat(sharing).containsEntry("impact_assessment", "PIPIA-2026-07")
			.containsEntry("impact_assessment_missing", false)
			.containsEntry("consent_type", "separate");
		assertThat((List<String>) sharing.get("recipients")).contains("partner", "wechat").doesNotContain("live-web");
		Map<String, Object> recovery = purposes.stream().filter(p -> "account-recovery".equals(p.get("id")))
			.findFirst().orElseThrow();
		// risky (sensitive personal information) and not assessed in this configuration: said so, not hidden
		assertThat(recovery).containsEntry("impact_assessment_missing", true);
		assertThat((List<String>) recovery.get("items")).contains("phone-number");
	}

	@Test
	void thePolicyPageNamesTheOfficerAndLinksBothLists() {
		String en = browser().get("/privacy/policy", "en").body();
		assertThat(en).contains("href=\"/privacy/personal-information\"").contains("href=\"/privacy/third-parties\"")
			.contains("Personal-information protection officer: Wang Fang (dpo@tongxing.example)");
		String zh = browser().get("/privacy/policy", "zh-CN").body();
		assertThat(zh).contains("个人信息收集清单").contains("第三方共享清单").contains("个人信息保护负责人：Wang Fang");
	}

}
