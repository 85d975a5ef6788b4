package dev.tongxing.server.connector.wechat;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tongxing.wechat.*}: WeChat's two hosts (the emulator's URL in dev and tests) and the apps.
 * In the dev profile, with no apps configured, the built-in emulator and its default apps are used.
 *
 * @param openBaseUrl the browser-facing host (open.weixin.qq.com)
 * @param apiBaseUrl the server-to-server host (api.weixin.qq.com)
 * @param timeout per upstream call; a timed-out code exchange counts as a consumed code
 */
@ConfigurationProperties("tongxing.wechat")
public record WechatProperties(String openBaseUrl, String apiBaseUrl, @DefaultValue List<App> apps,
		@DefaultValue("5s") Duration timeout) {

	/**
	 * @param secret plain text here; encrypted at rest once imported
	 * @param kind website | mobile | official-account | mini-program
	 */
	public record App(String appid, String secret, WechatAppKind kind) {
	}

}
