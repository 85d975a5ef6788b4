package dev.tongxing.server.connector.phone;

import dev.tongxing.server.resilience.UpstreamCalls;
import dev.tongxing.server.resilience.UpstreamGuard;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import tools.jackson.databind.json.JsonMapper;

/**
 * Picks the SMS sender named by {@code tongxing.sms.sender}. Unset, it is {@code log} under the dev profile;
 * elsewhere phone login stays off (with a warning) rather than guess: a production gateway must neither
 * fail to start because it does not offer phone login nor write live codes to its log.
 */
@Configuration(proxyBeanMethods = false)
class SmsSenderConfig {

	private static final Logger log = LoggerFactory.getLogger(SmsSenderConfig.class);

	@Bean
	SmsSender smsSender(SmsProperties properties, Environment environment, JsonMapper json, Clock clock,
			UpstreamCalls calls, org.springframework.beans.factory.ObjectProvider<MeterRegistry> meterRegistry,
			ObjectProvider<SmsDeliveries> deliveries, ObjectProvider<SmsDeliveryHealth> health) {
		boolean dev = environment.matchesProfiles("dev");
		if (properties.providers().size() > 1) {
			List<SmsSender> providers = properties.providers().stream()
				.map(p -> tracked(p, provider(p, properties, json, clock, calls, dev), properties, deliveries))
				.toList();
			UpstreamGuard guard = calls.guard("sms", properties.timeout(), SmsHttp.ERRORS);
			log.info("SMS: {} in this order, failing over to the next when one is known not to have sent",
					properties.providers());
			SmsDeliveryHealth judged = health.getIfAvailable();
			return new FailoverSmsSender(providers,
					name -> guard.breaker(name).getState() != CircuitBreaker.State.OPEN,
					name -> judged != null && judged.demoted(name), meterRegistry.getIfAvailable(() -> io.micrometer.core.instrument.Metrics.globalRegistry));
		}
		List<SmsProperties.Sender> inUse = properties.inUse();
		if (inUse.isEmpty() && !dev) {
			log.warn("Phone login is off: no SMS sender configured. Set tongxing.sms.sender to webhook, tencent "
					+ "or aliyun (and its settings under tongxing.sms.*) to offer it.");
			return new NoSmsSender();
		}
		SmsProperties.Sender only = inUse.isEmpty() ? SmsProperties.Sender.LOG : inUse.get(0);
		return tracked(only, provider(only, properties, json, clock, calls, dev), properties, deliveries);
	}

	/** The provider, recording what it sends for the receipts when they are taken from it (it has a receipt token). */
	private static SmsSender tracked(SmsProperties.Sender sender, SmsSender provider, SmsProperties properties,
			ObjectProvider<SmsDeliveries> deliveries) {
		SmsDeliveries store = deliveries.getIfAvailable();
		if (store == null || properties.receiptToken(sender) == null) {
			return provider;
		}
		log.info("SMS: delivery receipts of {} are taken at /sms/receipts/{}", provider.name(), provider.name());
		return new ReceiptTrackingSender(provider, store);
	}

	private static SmsSender provider(SmsProperties.Sender sender, SmsProperties properties, JsonMapper json,
			Clock clock, UpstreamCalls calls, boolean dev) {
		SmsHttp http = new SmsHttp(calls, properties.timeout(), sender.name().toLowerCase(java.util.Locale.ROOT));
		return switch (sender) {
			case LOG -> {
				if (!dev) {
					log.warn("tongxing.sms.sender is 'log' outside the dev profile: codes are NOT sent, they are "
							+ "written to this log, where anyone who reads it can sign in as any phone number.");
				}
				yield new LogSmsSender(clock);
			}
			case WEBHOOK -> {
				Map<String, Object> settings = new LinkedHashMap<>();
				settings.put("tongxing.sms.webhook-url", properties.webhookUrl());
				require("webhook", settings);
				yield new WebhookSmsSender(properties.webhookUrl(), http, json);
			}
			case TENCENT -> {
				SmsProperties.Tencent tencent = properties.tencent();
				Map<String, Object> settings = new LinkedHashMap<>();
				settings.put("tongxing.sms.tencent.secret-id", tencent.secretId());
				settings.put("tongxing.sms.tencent.secret-key", tencent.secretKey());
				settings.put("tongxing.sms.tencent.sdk-app-id", tencent.sdkAppId());
				settings.put("tongxing.sms.tencent.sign-name", tencent.signName());
				settings.put("tongxing.sms.tencent.template-id", tencent.templateId());
				require("tencent", settings);
				yield new TencentSmsSender(tencent, http, json, clock);
			}
			case ALIYUN -> {
				SmsProperties.Aliyun aliyun = properties.aliyun();
				Map<String, Object> settings = new LinkedHashMap<>();
				settings.put("tongxing.sms.aliyun.access-key-id", aliyun.accessKeyId());
				settings.put("tongxing.sms.aliyun.access-key-secret", aliyun.accessKeySecret());
				settings.put("tongxing.sms.aliyun.sign-name", aliyun.signName());
				settings.put("tongxing.sms.aliyun.template-code", aliyun.templateCode());
				require("aliyun", settings);
				yield new AliyunSmsSender(aliyun, http, json, clock);
			}
		};
	}

	private static void require(String sender, Map<String, Object> settings) {
		List<String> missing = new ArrayList<>();
		settings.forEach((key, value) -> {
			if (value == null || value.toString().isBlank()) {
				missing.add(key);
			}
		});
		if (!missing.isEmpty()) {
			throw new IllegalStateException(
					"tongxing.sms.sender is '" + sender + "' but these settings are missing: " + String.join(", ", missing));
		}
	}

}
