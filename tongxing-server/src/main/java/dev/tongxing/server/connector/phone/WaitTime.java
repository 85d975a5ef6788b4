package dev.tongxing.server.connector.phone;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.springframework.context.MessageSource;

/** "in 45 seconds", "in 3 minutes", "in 5 hours": how long until a limit lets the next code through. */
final class WaitTime {

	private WaitTime() {
	}

	static String describe(Instant now, Instant retryAt, MessageSource messages, Locale locale) {
		long seconds = Math.max(1, (Duration.between(now, retryAt).toMillis() + 999) / 1000);
		if (seconds < 120) {
			return messages.getMessage("phone.wait.seconds", new Object[] { seconds }, locale);
		}
		long minutes = (seconds + 59) / 60;
		if (minutes < 120) {
			return messages.getMessage("phone.wait.minutes", new Object[] { minutes }, locale);
		}
		return messages.getMessage("phone.wait.hours", new Object[] { (minutes + 59) / 60 }, locale);
	}

}
