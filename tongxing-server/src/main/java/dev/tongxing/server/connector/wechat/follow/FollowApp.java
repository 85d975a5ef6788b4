package dev.tongxing.server.connector.wechat.follow;

import dev.tongxing.server.connector.wechat.WechatApp;
import dev.tongxing.server.connector.wechat.WechatAppKind;
import dev.tongxing.server.connector.wechat.WechatConnector;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** The official account people follow: {@code tongxing.wechat.follow.appid}, else the first one configured. */
@Component
class FollowApp {

	private final FollowProperties properties;

	private final WechatConnector wechat;

	FollowApp(FollowProperties properties, WechatConnector wechat) {
		this.properties = properties;
		this.wechat = wechat;
	}

	Optional<WechatApp> app() {
		if (this.properties.appid() != null && !this.properties.appid().isBlank()) {
			return this.wechat.apps().find(this.properties.appid()).filter(a -> a.kind() == WechatAppKind.OFFICIAL_ACCOUNT);
		}
		return this.wechat.apps().first(WechatAppKind.OFFICIAL_ACCOUNT);
	}

	/** Its appid, which safe-mode ciphertexts must name; empty text while none is configured. */
	String appid() {
		return app().map(WechatApp::appid).orElse("");
	}

}
