package dev.tongxing.server.minors;

import java.util.Arrays;
import java.util.Optional;

/** The age brackets the law draws lines at: under 14 (PIPL Art. 31: guardian consent), 14-17, adult. */
public enum AgeBracket {

	UNDER_14("under-14"), FROM_14_TO_17("14-17"), ADULT("adult");

	private final String value;

	AgeBracket(String value) {
		this.value = value;
	}

	public String value() {
		return this.value;
	}

	public boolean minor() {
		return this != ADULT;
	}

	public static Optional<AgeBracket> of(String value) {
		return Arrays.stream(values()).filter(b -> b.value.equals(value)).findFirst();
	}

}
