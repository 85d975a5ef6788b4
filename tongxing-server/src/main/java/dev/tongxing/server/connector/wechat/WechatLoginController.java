package dev.tongxing.server.connector.wechat;

import dev.tongxing.server.login.RedirectLogins;
import dev.tongxing.server.login.spi.RedirectConnector.Purpose;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The account page's "bind WeChat": a website QR login through the login broker, whose answer adds WeChat to the
 * signed-in person's account. Sign-in itself ({@code /login/wechat}) is the broker's.
 */
@Controller
class WechatLoginController {

	private final WechatLoginConnector wechat;

	private final RedirectLogins broker;

	WechatLoginController(WechatLoginConnector wechat, RedirectLogins broker) {
		this.wechat = wechat;
		this.broker = broker;
	}

	@GetMapping("/account/wechat")
	String bind(HttpServletRequest request) {
		return this.broker.begin(this.wechat, Purpose.BIND, request);
	}

}
