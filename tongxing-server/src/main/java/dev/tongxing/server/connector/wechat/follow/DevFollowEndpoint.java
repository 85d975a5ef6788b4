package dev.tongxing.server.connector.wechat.follow;

import dev.tongxing.wechat.emulator.WechatEmulator;
import dev.tongxing.wechat.emulator.core.MessageEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * In the dev profile the built-in emulator's official account pushes its events to this gateway, as the account's
 * server configuration would in WeChat's console (URL, token, EncodingAESKey; safe mode when a key is set).
 */
@Component
@Profile("dev")
class DevFollowEndpoint {

	private static final Logger log = LoggerFactory.getLogger(DevFollowEndpoint.class);

	private final ObjectProvider<WechatEmulator> emulator;

	private final FollowProperties properties;

	private final FollowApp app;

	private final String issuer;

	DevFollowEndpoint(ObjectProvider<WechatEmulator> emulator, FollowProperties properties, FollowApp app,
			@Value("${tongxing.issuer}") String issuer) {
		this.emulator = emulator;
		this.properties = properties;
		this.app = app;
		this.issuer = issuer;
	}

	@EventListener(ApplicationReadyEvent.class)
	void pointTheEmulatorHere() {
		WechatEmulator dev = this.emulator.getIfAvailable();
		if (dev == null || !this.properties.enabled() || this.app.app().isEmpty()) {
			return;
		}
		dev.control().setMessageEndpoint(this.app.appid(), endpoint());
		log.info("The WeChat emulator's official account {} pushes its events to {}", this.app.appid(), endpoint().url());
	}

	String appid() {
		return this.app.appid();
	}

	MessageEndpoint endpoint() {
		return new MessageEndpoint(this.issuer + FollowMessageController.PATH, this.properties.token(),
				this.properties.safeMode() ? this.properties.encodingAesKey() : null,
				this.properties.safeMode() ? "safe" : "plain");
	}

}
