package dev.tongxing.server.connector.phone;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Development sender: writes the code to the log and keeps the latest messages in memory for the dev-only
 * page {@code /login/phone/dev-sms}. Nothing leaves the machine.
 */
public class LogSmsSender implements SmsSender {

	private static final Logger log = LoggerFactory.getLogger(LogSmsSender.class);

	private static final int KEPT = 100;

	/** A message as the dev page shows it. */
	public record Delivered(String phone, String code, String text, Instant sentAt) {
	}

	private final Deque<Delivered> recent = new ArrayDeque<>();

	private final Clock clock;

	LogSmsSender(Clock clock) {
		this.clock = clock;
	}

	@Override
	public String name() {
		return "log";
	}

	@Override
	public boolean takesText() {
		return true;
	}

	@Override
	public void send(SmsMessage message) {
		// the code is what a developer needs from the log; the number stays masked (logs hold no personal data)
		log.info("SMS to {} (log sender, nothing sent): {}", JdbcPhoneVerification.masked(message.phone()), message.text());
		synchronized (this.recent) {
			this.recent.addFirst(new Delivered(message.phone(), message.code(), message.text(), this.clock.instant()));
			while (this.recent.size() > KEPT) {
				this.recent.removeLast();
			}
		}
	}

	/** The newest message to each number, newest first. */
	public List<Delivered> latestPerPhone() {
		Map<String, Delivered> latest = new LinkedHashMap<>();
		synchronized (this.recent) {
			this.recent.forEach(delivered -> latest.putIfAbsent(delivered.phone(), delivered));
		}
		return List.copyOf(latest.values());
	}

}
