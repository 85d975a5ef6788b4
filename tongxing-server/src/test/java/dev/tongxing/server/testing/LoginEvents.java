package dev.tongxing.server.testing;

import dev.tongxing.server.login.LoginAttempted;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.event.EventListener;

/** Remembers every {@link LoginAttempted} event, whichever thread published it. */
public class LoginEvents {

	private final List<LoginAttempted> events = new CopyOnWriteArrayList<>();

	@EventListener
	void on(LoginAttempted event) {
		this.events.add(event);
	}

	public List<LoginAttempted> all() {
		return List.copyOf(this.events);
	}

	public List<LoginAttempted> since(int index) {
		return List.copyOf(this.events.subList(Math.min(index, this.events.size()), this.events.size()));
	}

	/**
	 * The one event of {@code method} since {@code index}, asserted to be a success with an account and the client
	 * address recorded.
	 */
	public LoginAttempted recordedSuccess(int index, String method) {
		List<LoginAttempted> ofMethod = since(index).stream().filter(e -> e.method().equals(method)).toList();
		assertThat(ofMethod).as("login events of " + method).hasSize(1);
		LoginAttempted event = ofMethod.getFirst();
		assertThat(event.success()).isTrue();
		assertThat(event.userId()).isNotBlank();
		assertThat(event.clientIp()).isNotBlank();
		return event;
	}

	public int size() {
		return this.events.size();
	}

}
