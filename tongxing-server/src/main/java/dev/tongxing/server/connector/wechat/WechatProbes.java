package dev.tongxing.server.connector.wechat;

import dev.tongxing.server.connector.UpstreamProbes;
import java.util.List;
import org.springframework.stereotype.Component;

/** One probe per WeChat app: {@code stable_token}, which hands back the current app token and invalidates nothing. */
@Component
class WechatProbes implements UpstreamProbes {

	private final WechatConnector wechat;

	WechatProbes(WechatConnector wechat) {
		this.wechat = wechat;
	}

	@Override
	public List<Probe> probes() {
		return this.wechat.apps()
			.all()
			.stream()
			.map(app -> new Probe("wechat:" + app.appid(), "wechat", () -> this.wechat.probe(app)))
			.toList();
	}

}
