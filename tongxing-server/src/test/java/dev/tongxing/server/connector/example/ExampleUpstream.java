package dev.tongxing.server.connector.example;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The upstream of the example connector, in memory: it issues one-time codes for the people it knows, and
 * can be told to refuse every code or to be down, like a real provider on a bad day.
 */
public class ExampleUpstream {

	public enum Mood {
		WORKING, REFUSING, DOWN
	}

	/** The upstream is busy or unreachable. */
	static class Unavailable extends RuntimeException {

		Unavailable() {
			super("example upstream is down");
		}

	}

	/** The upstream says the code is not one it issued, or was used. */
	static class Refused extends RuntimeException {

		Refused() {
			super("example upstream refused the code");
		}

	}

	private final Map<String, String> codes = new ConcurrentHashMap<>();

	private volatile Mood mood = Mood.WORKING;

	public String issueCode(String person) {
		String code = UUID.randomUUID().toString().replace("-", "");
		this.codes.put(code, person);
		return code;
	}

	public void mood(Mood mood) {
		this.mood = mood;
	}

	boolean down() {
		return this.mood == Mood.DOWN;
	}

	/** @return the person behind the code, which works once */
	String redeem(String code) {
		if (this.mood == Mood.DOWN) {
			throw new Unavailable();
		}
		String person = code == null ? null : this.codes.remove(code);
		if (person == null || this.mood == Mood.REFUSING) {
			throw new Refused();
		}
		return person;
	}

}
