package dev.tongxing.server.testing;

import dev.tongxing.server.login.LoginAttempted;
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

	public int size() {
		return this.events.size();
	}

}
