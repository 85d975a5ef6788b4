package dev.tongxing.server.testing;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * What every {@link GatewayTest} context adds: a clock tests can move and a record of login events. A class of
 * its own, not nested in the test base, so Spring never mistakes it for the tests' whole configuration.
 */
@TestConfiguration(proxyBeanMethods = false)
public class GatewayTestBeans {

	@Bean
	@Primary
	MutableClock mutableClock() {
		return new MutableClock();
	}

	@Bean
	LoginEvents loginEvents() {
		return new LoginEvents();
	}

}
