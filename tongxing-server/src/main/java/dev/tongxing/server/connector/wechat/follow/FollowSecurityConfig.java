package dev.tongxing.server.connector.wechat.follow;

import dev.tongxing.server.web.PushEndpoints;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * WeChat's pushes carry their own proof (the token's signature), not a browser's: no CSRF token, no session, no
 * request to come back to.
 */
@Configuration(proxyBeanMethods = false)
class FollowSecurityConfig {

	@Bean
	@Order(8)
	@ConditionalOnWebApplication
	SecurityFilterChain wechatFollowMessagesChain(HttpSecurity http) throws Exception {
		return PushEndpoints.chain(http, FollowMessageController.PATH);
	}

}
