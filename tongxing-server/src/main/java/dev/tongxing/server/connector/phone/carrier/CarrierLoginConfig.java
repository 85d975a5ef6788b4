package dev.tongxing.server.connector.phone.carrier;

import dev.tongxing.server.kernel.MobileNumbers;
import dev.tongxing.server.resilience.UpstreamCalls;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires one-tap carrier login; the connector exists always and offers nothing until it is enabled. */
@Configuration(proxyBeanMethods = false)
class CarrierLoginConfig {

	@Bean
	NumberVerification carrierNumberVerification(CarrierLoginProperties properties, UpstreamCalls calls, Clock clock) {
		return new AliyunNumberVerification(properties, calls, clock);
	}

	@Bean
	CarrierLoginConnector carrierLoginConnector(CarrierLoginProperties properties, NumberVerification service,
			MobileNumbers numbers) {
		return new CarrierLoginConnector(properties, service, numbers);
	}

}
