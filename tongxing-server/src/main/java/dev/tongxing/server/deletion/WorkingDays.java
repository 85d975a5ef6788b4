package dev.tongxing.server.deletion;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collection;
import java.util.Set;

/**
 * Counts working days: Monday to Friday, less the listed holidays, plus the listed working weekend days. A
 * period of n working days does not count the day it starts on (the usual rule for periods counted in days)
 * and ends when the n-th working day after it ends.
 */
final class WorkingDays {

	private final ZoneId zone;

	private final Set<LocalDate> holidays;

	private final Set<LocalDate> workingWeekends;

	WorkingDays(ZoneId zone, Collection<LocalDate> holidays, Collection<LocalDate> workingWeekends) {
		this.zone = zone;
		this.holidays = Set.copyOf(holidays);
		this.workingWeekends = Set.copyOf(workingWeekends);
	}

	boolean isWorkingDay(LocalDate day) {
		if (this.workingWeekends.contains(day)) {
			return true;
		}
		if (this.holidays.contains(day)) {
			return false;
		}
		return day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY;
	}

	/** The end of the n-th working day after the day of {@code start}. */
	Instant deadline(Instant start, int workingDays) {
		LocalDate day = start.atZone(this.zone).toLocalDate();
		int counted = 0;
		while (counted < workingDays) {
			day = day.plusDays(1);
			if (isWorkingDay(day)) {
				counted++;
			}
		}
		return day.plusDays(1).atStartOfDay(this.zone).toInstant();
	}

	ZoneId zone() {
		return this.zone;
	}

}
