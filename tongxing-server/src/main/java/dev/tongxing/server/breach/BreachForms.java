package dev.tongxing.server.breach;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;

/** Reading operators' input: times of the pages' forms and of the API, lists typed into a box. */
final class BreachForms {

	private BreachForms() {
	}

	/** Thrown for a time that cannot be read; {@code field} names the input. */
	static final class BadTime extends RuntimeException {

		final String field;

		BadTime(String field) {
			super(field, null, false, false);
			this.field = field;
		}

	}

	/** A form's {@code datetime-local} value in the desk's zone; blank is null. */
	static Instant local(String field, String value, ZoneId zone) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			return LocalDateTime.parse(value.strip()).atZone(zone).toInstant();
		}
		catch (DateTimeException ex) {
			throw new BadTime(field);
		}
	}

	/** An API time: ISO-8601 with an offset ({@code 2026-12-01T10:30:00+08:00} or {@code …Z}); null is null. */
	static Instant iso(String field, Object value) {
		if (value == null) {
			return null;
		}
		if (!(value instanceof String text) || text.isBlank()) {
			throw new BadTime(field);
		}
		try {
			return OffsetDateTime.parse(text.strip()).toInstant();
		}
		catch (DateTimeException ex) {
			throw new BadTime(field);
		}
	}

	/** Values typed into one box, separated by commas, spaces or lines. */
	static List<String> words(String value) {
		if (value == null || value.isBlank()) {
			return List.of();
		}
		return Arrays.stream(value.split("[,，\\s]+")).filter(w -> !w.isEmpty()).toList();
	}

	/** A form's value for a {@code datetime-local} input. */
	static String local(Instant instant, ZoneId zone) {
		return instant == null ? "" : LocalDateTime.ofInstant(instant, zone).withNano(0).toString();
	}

}
