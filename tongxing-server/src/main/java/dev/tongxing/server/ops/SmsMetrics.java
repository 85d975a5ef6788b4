package dev.tongxing.server.ops;

import dev.tongxing.server.connector.phone.SmsSender;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.aopalliance.intercept.MethodInterceptor;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code tongxing.sms.sent}: text messages handed to the SMS provider, by outcome ({@code sent},
 * {@code failed}). The sender bean is wrapped in a class-based proxy, so it stays what it was (tests cast
 * it to the dev sender).
 */
@Configuration(proxyBeanMethods = false)
class SmsMetrics {

	@Bean
	static BeanPostProcessor smsSentCounter(ObjectProvider<MeterRegistry> registry) {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String name) {
				if (!(bean instanceof SmsSender sender) || !sender.delivers()) {
					return bean;
				}
				ProxyFactory proxy = new ProxyFactory(bean);
				proxy.setProxyTargetClass(true);
				proxy.addAdvice((MethodInterceptor) call -> {
					if (!call.getMethod().getName().equals("send")) {
						return call.proceed();
					}
					try {
						Object result = call.proceed();
						count(registry, "sent");
						return result;
					}
					catch (RuntimeException ex) {
						count(registry, "failed");
						throw ex;
					}
				});
				return proxy.getProxy(bean.getClass().getClassLoader());
			}
		};
	}

	private static void count(ObjectProvider<MeterRegistry> registry, String outcome) {
		registry.ifAvailable(meters -> Counter.builder("tongxing.sms.sent")
			.description("Text messages handed to the SMS provider")
			.tag("outcome", outcome)
			.register(meters)
			.increment());
	}

}
