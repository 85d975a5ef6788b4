package dev.tongxing.server.complaint;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/** Times on the desk's pages: shown and typed in the configured zone, minutes precision. */
final class DeskTimes {

	private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

	private DeskTimes() {
	}

	static String show(Instant instant, ZoneId zone) {
		return instant == null ? "" : SHOWN.format(instant.atZone(zone)) + " (" + zone.getId() + ")";
	}

	/**
	 * How long, rounded down to minutes, never negative (callers say "overdue"): {@code 1h 25m}, {@code 2h},
	 * {@code 4m}; in Chinese {@code 1 小时 25 分钟}.
	 */
	static String span(Duration duration, Locale locale) {
		Duration d = duration.isNegative() ? duration.negated() : duration;
		boolean chinese = "zh".equals(locale.getLanguage());
		String day = chinese ? " 天" : "d";
		String hour = chinese ? " 小时" : "h";
		String minute = chinese ? " 分钟" : "m";
		if (d.toDays() > 0) {
			return d.toDays() + day + (d.toHoursPart() > 0 ? " " + d.toHoursPart() + hour : "");
		}
		if (d.toHours() > 0) {
			return d.toHours() + hour + (d.toMinutesPart() > 0 ? " " + d.toMinutesPart() + minute : "");
		}
		return d.toMinutes() + minute;
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
