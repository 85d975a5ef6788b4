package dev.tongxing.server.complaint;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Times on the desk's pages: shown and typed in the configured zone, minutes precision. */
final class DeskTimes {

	private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

	private DeskTimes() {
	}

	static String show(Instant instant, ZoneId zone) {
		return instant == null ? "" : SHOWN.format(instant.atZone(zone)) + " (" + zone.getId() + ")";
	}

	/** {@code 1h 25m}, {@code 4m}: how long, rounded down to minutes (never negative; callers say "overdue"). */
	static String span(Duration duration) {
		Duration d = duration.isNegative() ? duration.negated() : duration;
		long hours = d.toHours();
		long minutes = d.toMinutesPart();
		if (d.toDays() > 0) {
			return d.toDays() + "d " + d.toHoursPart() + "h";
		}
		return hours > 0 ? hours + "h " + minutes + "m" : d.toMinutes() + "m";
	}

	/** A browser's {@code datetime-local} value ({@code 2026-11-28T21:30}) in the zone. */
	static Optional<Instant> parseLocal(String value, ZoneId zone) {
		try {
			return Optional.of(LocalDateTime.parse(value.strip()).atZone(zone).toInstant());
		}
		catch (DateTimeParseException ex) {
			return Optional.empty();
		}
	}

}
