package dev.tongxing.server.ops;

import dev.tongxing.server.login.LoginAttempted;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * {@code tongxing.login.attempts}: every login that reached an end, by method, upstream app, outcome and
 * cause ({@code none} on success).
 */
@Component
class LoginMetrics {

	private final MeterRegistry registry;

	LoginMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@EventListener
	void on(LoginAttempted attempt) {
		Counter.builder("tongxing.login.attempts")
			.description("Login attempts that reached an end")
			.tag("method", Labels.tag(attempt.method()))
			.tag("app", Labels.tag(attempt.app()))
			.tag("outcome", attempt.success() ? "success" : "failure")
			.tag("cause", attempt.success() || attempt.cause() == null ? "none"
					: attempt.cause().name().toLowerCase(java.util.Locale.ROOT))
			.register(this.registry)
			.increment();
	}

}
