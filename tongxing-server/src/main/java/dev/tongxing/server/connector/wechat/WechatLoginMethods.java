package dev.tongxing.server.connector.wechat;

import dev.tongxing.server.login.LoginMethod;
import dev.tongxing.server.login.LoginMethodSource;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * "Sign in with WeChat" on the login page, when a website app is configured. While WeChat calls are
 * failing (the app's circuit breaker is not closed, or most recent calls failed) the page says so in
 * plain words and puts the other methods first.
 */
@Component
class WechatLoginMethods implements LoginMethodSource {

	private final WechatConnector wechat;

	WechatLoginMethods(WechatConnector wechat) {
		this.wechat = wechat;
	}

	@Override
	public List<LoginMethod> loginMethods() {
		Optional<WechatApp> website = this.wechat.apps().first(WechatAppKind.WEBSITE);
		if (website.isEmpty()) {
			return List.of();
		}
		return List.of(new LoginMethod("wechat", "login.method.wechat", "/login/wechat", 10,
				failing(website.get()) ? "wechat.degraded" : null));
	}

	boolean failing(WechatApp app) {
		CircuitBreaker breaker = this.wechat.api().breaker(app.appid());
		CircuitBreaker.Metrics metrics = breaker.getMetrics();
		// the breaker's own failure rate waits for its minimum number of calls; a few failures in a row are news
		int calls = metrics.getNumberOfBufferedCalls();
		return breaker.getState() != CircuitBreaker.State.CLOSED
				|| (calls >= 3 && metrics.getNumberOfFailedCalls() * 2 >= calls);
	}

}
