package dev.tongxing.server.connector.wechat;

import dev.tongxing.server.privacy.UpstreamRecipients;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/** WeChat receives the login's codes and answers with the person's identifiers and profile. */
@Component
class WechatRecipients implements UpstreamRecipients {

	private final ObjectProvider<WechatApps> apps;

	WechatRecipients(ObjectProvider<WechatApps> apps) {
		this.apps = apps;
	}

	@Override
	public List<Recipient> recipients() {
		WechatApps configured = this.apps.getIfAvailable();
		if (configured == null || configured.all().isEmpty()) {
			return List.of();
		}
		return List.of(new Recipient("wechat", "wechat", "WeChat", "other-handler", "privacy.recipient.wechat.purpose",
				List.of("wechat-identifiers", "wechat-profile")));
	}

}
