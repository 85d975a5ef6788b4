package dev.tongxing.server.connector.phone;

import dev.tongxing.server.web.PushEndpoints;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The providers' receipt pushes carry their own proof (the receipt token in the URL, checked by
 * {@link SmsReceiptPushes}), not a browser's: no CSRF token, no session, no request to come back to.
 */
@Configuration(proxyBeanMethods = false)
class SmsReceiptSecurityConfig {

	@Bean
	@Order(7)
	@ConditionalOnWebApplication
	SecurityFilterChain smsReceiptsChain(HttpSecurity http) throws Exception {
		return PushEndpoints.chain(http, SmsReceiptController.PATH);
	}

}
