package dev.tongxing.server.connector.wechat;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.crypto.MasterKeyCipher;
import dev.tongxing.wechat.emulator.DefaultFixture;
import dev.tongxing.wechat.emulator.WechatEmulator;
import dev.tongxing.server.ops.DependencyIncidents;
import dev.tongxing.server.ratelimit.Buckets;
import dev.tongxing.server.resilience.UpstreamCalls;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Wires the WeChat connector. Hosts: the configured ones, else (dev profile) the built-in emulator, else
 * WeChat's own. Apps: the configured ones, else (dev profile) the emulator's default apps.
 */
@Configuration(proxyBeanMethods = false)
class WechatConfig {

	private static final Logger log = LoggerFactory.getLogger(WechatConfig.class);

	/** The resolved hosts. */
	record WechatHosts(String openBase, String apiBase) {
	}

	@Bean
	WechatHosts wechatHosts(WechatProperties properties, ObjectProvider<WechatEmulator> emulator) {
		WechatEmulator dev = emulator.getIfAvailable();
		String open = properties.openBaseUrl() != null ? properties.openBaseUrl()
				: dev != null ? dev.baseUrl() : "https://open.weixin.qq.com";
		String api = properties.apiBaseUrl() != null ? properties.apiBaseUrl()
				: dev != null ? dev.baseUrl() : "https://api.weixin.qq.com";
		return new WechatHosts(strip(open), strip(api));
	}

	@Bean
	WechatBackOffs wechatBackOffs(JdbcClient jdbc, Clock clock) {
		return new WechatBackOffs(jdbc, clock);
	}

	@Bean
	WechatQuota wechatQuota(Buckets buckets, WechatBackOffs backOffs, WechatQuotaProperties quota, Clock clock,
			MeterRegistry meters, DependencyIncidents incidents) {
		return new WechatQuota(buckets, backOffs, quota, clock, meters, new WechatQuota.Incidents() {
			@Override
			public void open(String component) {
				incidents.open(component);
			}

			@Override
			public void resolve(String component) {
				incidents.resolve(component);
			}
		});
	}

	/** The quota use the console's overview shows (through ops, which names no connector). */
	@Bean
	WechatQuotaUse wechatQuotaUse(WechatQuota quota, WechatBackOffs backOffs) {
		return new WechatQuotaUse(quota, backOffs);
	}

	@Bean
	WechatApiClient wechatApiClient(WechatHosts hosts, WechatProperties properties, UpstreamCalls calls,
			WechatQuota quota) {
		return new WechatApiClient(hosts.apiBase(), properties.timeout(), calls, quota);
	}

	@Bean
	WechatApps wechatApps(JdbcClient jdbc, MasterKeyCipher cipher, Clock clock) {
		return new WechatApps(jdbc, cipher, clock);
	}

	@Bean
	SmartInitializingSingleton wechatAppsImport(WechatApps apps, WechatProperties properties,
			ObjectProvider<WechatEmulator> emulator) {
		return () -> {
			List<WechatProperties.App> configured = properties.apps();
			if (configured.isEmpty() && emulator.getIfAvailable() != null) {
				configured = emulatorApps();
				log.info("Using the WeChat emulator's default apps (dev profile)");
			}
			apps.importAll(configured);
		};
	}

	@Bean
	CodeExchangeLedger codeExchangeLedger(JdbcClient jdbc, Clock clock) {
		return new CodeExchangeLedger(jdbc, clock);
	}

	@Bean
	WechatConnector wechatConnector(WechatApps apps, WechatApiClient api, CodeExchangeLedger ledger, JdbcClient jdbc,
			MasterKeyCipher cipher, Clock clock) {
		return new WechatConnector(apps, api, ledger, new AppTokenCache(jdbc, cipher, api, clock));
	}

	static List<WechatProperties.App> emulatorApps() {
		return List.of(
				new WechatProperties.App(DefaultFixture.WEBSITE_APPID, DefaultFixture.WEBSITE_SECRET, WechatAppKind.WEBSITE),
				new WechatProperties.App(DefaultFixture.MOBILE_APPID, DefaultFixture.MOBILE_SECRET, WechatAppKind.MOBILE),
				new WechatProperties.App(DefaultFixture.OFFICIAL_ACCOUNT_APPID, DefaultFixture.OFFICIAL_ACCOUNT_SECRET,
						WechatAppKind.OFFICIAL_ACCOUNT),
				new WechatProperties.App(DefaultFixture.MINI_PROGRAM_APPID, DefaultFixture.MINI_PROGRAM_SECRET,
						WechatAppKind.MINI_PROGRAM),
				new WechatProperties.App(DefaultFixture.UNBOUND_MINI_PROGRAM_APPID,
						DefaultFixture.UNBOUND_MINI_PROGRAM_SECRET, WechatAppKind.MINI_PROGRAM),
				new WechatProperties.App(DefaultFixture.UNBOUND_OFFICIAL_ACCOUNT_APPID,
						DefaultFixture.UNBOUND_OFFICIAL_ACCOUNT_SECRET, WechatAppKind.OFFICIAL_ACCOUNT));
	}

	private static String strip(String url) {
		return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
	}

}
