package dev.tongxing.server.privacy;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The settings of the published lists, beside the privacy policy's own ({@code tongxing.privacy.*}).
 *
 * @param catalog a Spring resource location of the personal-data catalogue (YAML, {@code catalog.items} and
 * {@code catalog.purposes}); the bundled one describes what this gateway's code collects
 * @param impactAssessments per processing purpose, the reference of its personal-information impact assessment
 * (PIPL Art. 55–56), e.g. a document number; a risky purpose without one is shown as missing
 * @param recipients company and contact of the recipients that are not clients, by id: {@code wechat},
 * {@code sms-tencent}, {@code sms-aliyun}, {@code sms-webhook}
 */
@ConfigurationProperties("tongxing.privacy")
public record PrivacyListsProperties(@DefaultValue("classpath:privacy/personal-data.yml") String catalog,
		@DefaultValue Map<String, String> impactAssessments,
		@DefaultValue Map<String, Party> recipients) {

	private static final Party UNSTATED = new Party(null, null);

	/** The company and contact of a recipient other than a client ({@code wechat}, {@code sms-tencent}, …). */
	public Party recipient(String id) {
		return this.recipients.getOrDefault(id, UNSTATED);
	}

	/**
	 * @param company the legal entity's name
	 * @param contact how to reach it about personal information
	 */
	public record Party(String company, String contact) {
	}

}
