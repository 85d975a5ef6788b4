package dev.tongxing.server.connector.wechat;

import dev.tongxing.server.account.AccountMethodLinks;
import java.util.List;
import org.springframework.stereotype.Component;

/** Offers "bind WeChat" on the account page when website QR login is configured. */
@Component
class WechatAccountLinks implements AccountMethodLinks {

	private final WechatConnector wechat;

	WechatAccountLinks(WechatConnector wechat) {
		this.wechat = wechat;
	}

	@Override
	public List<Link> links() {
		return this.wechat.apps().first(WechatAppKind.WEBSITE).isPresent()
				? List.of(new Link(WechatIdentity.OPEN, "account.bind.wechat", "/account/wechat")) : List.of();
	}

}
