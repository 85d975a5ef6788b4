package dev.tongxing.server.connector.phone;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How codes reach phones, under {@code tongxing.sms.*}.
 *
 * @param sender which sender; unset means {@code log} with the dev profile and no phone login otherwise
 * @param webhookUrl where the webhook sender POSTs {@code {"phone","code","text","template"}}
 * @param timeout connect and response timeout of every sender's HTTP call
 * @param providers several providers in priority order, failing over from one to the next (instead of
 * {@code sender})
 */
@ConfigurationProperties("tongxing.sms")
public record SmsProperties(Sender sender, URI webhookUrl, @DefaultValue("5s") Duration timeout,
		@DefaultValue Tencent tencent, @DefaultValue Aliyun aliyun, @DefaultValue java.util.List<Sender> providers) {

	public SmsProperties {
		if (!providers.isEmpty()) {
			if (sender != null) {
				throw new IllegalArgumentException(
						"set tongxing.sms.sender (one provider) or tongxing.sms.providers (several, in order), not both");
			}
			if (providers.contains(Sender.LOG)) {
				throw new IllegalArgumentException("tongxing.sms.providers cannot include 'log': it sends nothing");
			}
			if (new java.util.HashSet<>(providers).size() != providers.size()) {
				throw new IllegalArgumentException("tongxing.sms.providers names a provider twice: " + providers);
			}
		}
		providers = java.util.List.copyOf(providers);
	}

	/** The providers in use, in priority order: {@code providers}, or the one {@code sender}. */
	public java.util.List<Sender> inUse() {
		return !this.providers.isEmpty() ? this.providers
				: this.sender == null ? java.util.List.of() : java.util.List.of(this.sender);
	}

	public enum Sender {

		WEBHOOK, TENCENT, ALIYUN, LOG

	}

	/**
	 * Tencent Cloud SMS (API 3.0 {@code SendSms}, version 2021-01-11). The code's template gets one parameter, the
	 * code. {@code receiptToken}: see {@link SmsProperties#receiptToken}. {@code noticeTemplates}: the approved
	 * template's id for each notice kind it may carry ({@link NoticeKind}); a kind without one is not sent by Tencent.
	 */
	public record Tencent(String secretId, String secretKey, String sdkAppId, String signName, String templateId,
			@DefaultValue("ap-guangzhou") String region,
			@DefaultValue("https://sms.tencentcloudapi.com") URI endpoint, String receiptToken,
			java.util.Map<String, String> noticeTemplates) {

		@ConstructorBinding
		public Tencent {
			receiptToken = checkedToken("tongxing.sms.tencent.receipt-token", receiptToken);
			noticeTemplates = checkedTemplates("tongxing.sms.tencent.notice-templates", noticeTemplates);
		}

		/** Without notice templates. */
		public Tencent(String secretId, String secretKey, String sdkAppId, String signName, String templateId,
				String region, URI endpoint, String receiptToken) {
			this(secretId, secretKey, sdkAppId, signName, templateId, region, endpoint, receiptToken, null);
		}

		/** Without delivery receipts or notice templates. */
		public Tencent(String secretId, String secretKey, String sdkAppId, String signName, String templateId,
				String region, URI endpoint) {
			this(secretId, secretKey, sdkAppId, signName, templateId, region, endpoint, null, null);
		}
	}

	/**
	 * Aliyun SMS (dysmsapi {@code SendSms}, version 2017-05-25). The code's template gets {@code {"code": "…"}}.
	 * {@code receiptToken}: see {@link SmsProperties#receiptToken}. {@code noticeTemplates}: the approved template's
	 * code ({@code SMS_…}) for each notice kind it may carry ({@link NoticeKind}); a kind without one is not sent by
	 * Aliyun.
	 */
	public record Aliyun(String accessKeyId, String accessKeySecret, String signName, String templateCode,
			@DefaultValue("cn-hangzhou") String regionId, @DefaultValue("https://dysmsapi.aliyuncs.com") URI endpoint,
			String receiptToken, java.util.Map<String, String> noticeTemplates) {

		@ConstructorBinding
		public Aliyun {
			receiptToken = checkedToken("tongxing.sms.aliyun.receipt-token", receiptToken);
			noticeTemplates = checkedTemplates("tongxing.sms.aliyun.notice-templates", noticeTemplates);
		}

		/** Without notice templates. */
		public Aliyun(String accessKeyId, String accessKeySecret, String signName, String templateCode,
				String regionId, URI endpoint, String receiptToken) {
			this(accessKeyId, accessKeySecret, signName, templateCode, regionId, endpoint, receiptToken, null);
		}

		/** Without delivery receipts or notice templates. */
		public Aliyun(String accessKeyId, String accessKeySecret, String signName, String templateCode,
				String regionId, URI endpoint) {
			this(accessKeyId, accessKeySecret, signName, templateCode, regionId, endpoint, null, null);
		}
	}

	/**
	 * The secret the operator puts in the receipt URL registered with this provider ({@code ?token=}); null when
	 * its receipts are not taken. Neither provider signs its callbacks, so this token is all that proves one.
	 */
	public String receiptToken(Sender sender) {
		return switch (sender) {
			case TENCENT -> this.tencent == null ? null : this.tencent.receiptToken();
			case ALIYUN -> this.aliyun == null ? null : this.aliyun.receiptToken();
			default -> null;
		};
	}

	/**
	 * Only the known kinds: a misspelt one would leave its notices refused without a word. A blank template is unset
	 * (an environment variable left empty).
	 */
	static java.util.Map<String, String> checkedTemplates(String key, java.util.Map<String, String> templates) {
		if (templates == null) {
			return java.util.Map.of();
		}
		java.util.Map<String, String> checked = new java.util.LinkedHashMap<>();
		templates.forEach((kind, template) -> {
			if (NoticeKind.of(kind).isEmpty()) {
				throw new IllegalArgumentException(key + "." + kind + ": no such notice; the notices are "
						+ String.join(", ", NoticeKind.names()));
			}
			if (template != null && !template.isBlank()) {
				checked.put(kind, template.strip());
			}
		});
		return java.util.Collections.unmodifiableMap(checked);
	}

	/** Blank is unset; a short one could be guessed, and then anyone could demote a provider. */
	static String checkedToken(String key, String token) {
		if (token == null || token.isBlank()) {
			return null;
		}
		if (token.length() < 16) {
			throw new IllegalArgumentException(key + " must be at least 16 characters (a random secret)");
		}
		return token;
	}

}
