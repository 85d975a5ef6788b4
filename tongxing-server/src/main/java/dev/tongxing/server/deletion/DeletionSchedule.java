package dev.tongxing.server.deletion;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * When a deletion request is carried out: after the cooling-off, and always within 15 working days of the
 * request (GB/T 35273-2020 §8.5, App认定方法 §6). Refuses to start when the configuration could break that
 * promise on any day of the coming year.
 */
@Component
class DeletionSchedule {

	/** The longest a deletion may take, from request to done. */
	static final int WORKING_DAYS = 15;

	/** How far ahead the configuration is checked (holiday lists are published a year at a time). */
	static final int DAYS_CHECKED = 366;

	/** @param dueAt when the job carries it out; @param deadline when it must be done at the latest */
	record Dates(Instant requestedAt, Instant dueAt, Instant deadline) {
	}

	private final DeletionProperties properties;

	private final WorkingDays workingDays;

	DeletionSchedule(DeletionProperties properties, Clock clock) {
		this.properties = properties;
		this.workingDays = properties.calendar().workingDays();
		validate(properties, this.workingDays, clock.instant());
	}

	Dates forRequestAt(Instant requestedAt) {
		return new Dates(requestedAt, requestedAt.plus(this.properties.coolingOff()),
				this.workingDays.deadline(requestedAt, WORKING_DAYS));
	}

	DeletionProperties properties() {
		return this.properties;
	}

	static void validate(DeletionProperties properties, WorkingDays workingDays, Instant now) {
		require(!properties.coolingOff().isNegative(), "tongxing.deletion.cooling-off must not be negative");
		require(properties.checkInterval().isPositive(), "tongxing.deletion.check-interval must be positive");
		require(properties.processingWindow().compareTo(properties.checkInterval()) >= 0,
				"tongxing.deletion.processing-window (" + properties.processingWindow()
						+ ") must be at least tongxing.deletion.check-interval (" + properties.checkInterval() + ")");
		require(properties.reauthentication().isPositive()
				&& properties.reauthentication().compareTo(Duration.ofHours(1)) <= 0,
				"tongxing.deletion.reauthentication must be between 1s and 1h (it asks for a recent sign-in)");
		List<LocalDate> both = properties.calendar()
			.holidays()
			.stream()
			.filter(properties.calendar().workingWeekends()::contains)
			.toList();
		require(both.isEmpty(), "tongxing.deletion.calendar.holidays and .working-weekends both list " + both);
		Duration needed = properties.coolingOff().plus(properties.processingWindow());
		LocalDate today = now.atZone(workingDays.zone()).toLocalDate();
		for (int i = 0; i < DAYS_CHECKED; i++) {
			// the last moment of a day leaves the least time before the deadline
			Instant requested = today.plusDays(i + 1L).atStartOfDay(workingDays.zone()).toInstant().minusMillis(1);
			Instant deadline = workingDays.deadline(requested, WORKING_DAYS);
			if (requested.plus(needed).isAfter(deadline)) {
				throw new IllegalStateException("tongxing.deletion.cooling-off (" + properties.coolingOff()
						+ ") plus tongxing.deletion.processing-window (" + properties.processingWindow()
						+ ") must fit within " + WORKING_DAYS
						+ " working days of a request (Monday to Friday, less tongxing.deletion.calendar.holidays, plus"
						+ " tongxing.deletion.calendar.working-weekends), but a request made on " + today.plusDays(i)
						+ " would have only " + Duration.between(requested, deadline).toHours()
						+ " hours, until " + deadline.atZone(workingDays.zone()).toLocalDate().minusDays(1)
						+ " ends (" + workingDays.zone() + "). Shorten the cooling-off or the processing window.");
			}
		}
	}

	private static void require(boolean condition, String message) {
		if (!condition) {
			throw new IllegalStateException(message);
		}
	}

}
