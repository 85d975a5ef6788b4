package dev.tongxing.server.deletion;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tongxing.deletion.*}: account deletion (注销). Checked at start by {@link DeletionSchedule}: the
 * cooling-off plus the processing window must fit in 15 working days of any request.
 *
 * @param coolingOff how long a request waits before it is carried out; signing in meanwhile offers to cancel
 * @param processingWindow how long the scheduled job may take to carry out a due request (outages, retries)
 * @param reauthentication how recent a sign-in must be to request deletion
 * @param checkInterval how often each node looks for due requests
 * @param calendar what counts as a working day
 */
@ConfigurationProperties("tongxing.deletion")
public record DeletionProperties(@DefaultValue("P7D") Duration coolingOff,
		@DefaultValue("P1D") Duration processingWindow, @DefaultValue("PT5M") Duration reauthentication,
		@DefaultValue("PT1M") Duration checkInterval, @DefaultValue Calendar calendar) {

	/**
	 * Working days are Monday to Friday, except {@code holidays}, plus {@code workingWeekends} (the weekend days
	 * the State Council's holiday notice makes working days, 调休).
	 *
	 * @param zone where the days are counted
	 */
	public record Calendar(@DefaultValue("Asia/Shanghai") ZoneId zone, @DefaultValue List<LocalDate> holidays,
			@DefaultValue List<LocalDate> workingWeekends) {

		WorkingDays workingDays() {
			return new WorkingDays(this.zone, this.holidays, this.workingWeekends);
		}
	}

}
