package dev.tongxing.server.connector.wechat;

import dev.tongxing.wechat.emulator.WechatEmulator;
import dev.tongxing.wechat.emulator.WechatEmulatorOptions;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * In the dev profile the gateway starts the WeChat emulator beside itself, so WeChat login works offline
 * with no open-platform account: {@code tongxing.dev.wechat-emulator.port} (default 9080, 0 for any free
 * port), {@code .config} (an emulator YAML file; its default fixture otherwise), {@code .enabled}.
 */
@Configuration(proxyBeanMethods = false)
@Profile("dev")
@ConditionalOnProperty(name = "tongxing.dev.wechat-emulator.enabled", matchIfMissing = true)
class DevWechatEmulator {

	private static final Logger log = LoggerFactory.getLogger(DevWechatEmulator.class);

	@Bean(destroyMethod = "close")
	WechatEmulator wechatEmulator(@Value("${tongxing.dev.wechat-emulator.port:9080}") int port,
			@Value("${tongxing.dev.wechat-emulator.config:}") String config,
			@Value("${tongxing.dev.wechat-emulator.self-hosted-avatars:true}") boolean selfHostedAvatars) {
		WechatEmulatorOptions options = WechatEmulatorOptions.defaults().port(port);
		if (!config.isBlank()) {
			options = options.configFile(Path.of(config));
		}
		WechatEmulator emulator = WechatEmulator.start(options);
		// its users' avatars are images it serves itself: nothing in development reaches WeChat's image host
		emulator.control().settings().selfHostedAvatars = selfHostedAvatars;
		log.info("WeChat emulator (dev) running at {} — control API under /_emulator", emulator.baseUrl());
		return emulator;
	}

}
