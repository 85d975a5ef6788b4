package dev.tongxing.server.deletion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The cooling-off plus the processing window always fit in 15 working days; due dates and deadlines. */
class DeletionScheduleTest {

	static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

	/** Wednesday 2026-12-02, 10:00 in Shanghai. */
	static final Instant WEDNESDAY = LocalDate.of(2026, 12, 2).atTime(10, 0).atZone(SHANGHAI).toInstant();

	static DeletionProperties properties(Duration coolingOff, Duration window, List<LocalDate> holidays,
			List<LocalDate> workingWeekends) {
		return new DeletionProperties(coolingOff, window, Duration.ofMinutes(5), Duration.ofMinutes(1),
				new DeletionProperties.Calendar(SHANGHAI, holidays, workingWeekends));
	}

	static DeletionSchedule schedule(DeletionProperties properties) {
		return new DeletionSchedule(properties, Clock.fixed(WEDNESDAY, ZoneOffset.UTC));
	}

	@Test
	void theDeadlineIsTheEndOfTheFifteenthWorkingDayAfterTheRequest() {
		DeletionSchedule.Dates dates = schedule(properties(Duration.ofDays(7), Duration.ofDays(1), List.of(), List.of()))
			.forRequestAt(WEDNESDAY);
		assertThat(dates.dueAt()).isEqualTo(WEDNESDAY.plus(Duration.ofDays(7)));
		// Thu 3, Fri 4 (2), 7–11 (7), 14–18 (12), Mon 21, Tue 22, Wed 23 (15): ends at midnight after the 23rd
		assertThat(dates.deadline()).isEqualTo(LocalDate.of(2026, 12, 24).atStartOfDay(SHANGHAI).toInstant());
	}

	@Test
	void holidaysDoNotCountAndWorkingWeekendsDo() {
		WorkingDays days = new WorkingDays(SHANGHAI, List.of(LocalDate.of(2026, 12, 3), LocalDate.of(2026, 12, 4)),
				List.of(LocalDate.of(2026, 12, 5)));
		assertThat(days.isWorkingDay(LocalDate.of(2026, 12, 3))).isFalse();
		assertThat(days.isWorkingDay(LocalDate.of(2026, 12, 5))).as("a working Saturday (调休)").isTrue();
		assertThat(days.isWorkingDay(LocalDate.of(2026, 12, 6))).isFalse();
		// Sat 5 (1), 7–11 (6), 14–18 (11), 21–24 (15)
		assertThat(days.deadline(WEDNESDAY, 15)).isEqualTo(LocalDate.of(2026, 12, 25).atStartOfDay(SHANGHAI).toInstant());
	}

	@Test
	void theDefaultsFit() {
		assertThat(schedule(properties(Duration.ofDays(7), Duration.ofDays(1), List.of(), List.of())).properties()
			.coolingOff()).isEqualTo(Duration.ofDays(7));
	}

	@Test
	void aCoolingOffThatCouldOutlastFifteenWorkingDaysIsRefusedWithAClearMessage() {
		// 15 working days after a Sunday evening end 19 days later: 18 + 1 fits, 19 + 1 does not
		schedule(properties(Duration.ofDays(18), Duration.ofDays(1), List.of(), List.of()));
		assertThatThrownBy(() -> schedule(properties(Duration.ofDays(19), Duration.ofDays(1), List.of(), List.of())))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("tongxing.deletion.cooling-off (PT456H) plus tongxing.deletion.processing-window (PT24H)")
			.hasMessageContaining("must fit within 15 working days")
			.hasMessageContaining("Shorten the cooling-off");
	}

	@Test
	void workingWeekendsShortenTheTimeAndAreTakenIntoAccount() {
		// a Sunday made a working day (调休) moves every deadline of the week before it a day earlier
		List<LocalDate> workingSunday = List.of(LocalDate.of(2027, 2, 7));
		assertThatThrownBy(() -> schedule(properties(Duration.ofDays(18), Duration.ofDays(1), List.of(), workingSunday)))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("working-weekends");
	}

	@Test
	void nonsenseIsRefused() {
		assertThatThrownBy(() -> schedule(properties(Duration.ofDays(-1), Duration.ofDays(1), List.of(), List.of())))
			.hasMessageContaining("tongxing.deletion.cooling-off must not be negative");
		assertThatThrownBy(() -> schedule(properties(Duration.ofDays(7), Duration.ofSeconds(1), List.of(), List.of())))
			.hasMessageContaining("processing-window");
		List<LocalDate> saturday = List.of(LocalDate.of(2027, 2, 6));
		assertThatThrownBy(() -> schedule(properties(Duration.ofDays(7), Duration.ofDays(1), saturday, saturday)))
			.hasMessageContaining("both list [2027-02-06]");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(DeletionProperties.class)
	@Import(DeletionSchedule.class)
	static class ScheduleOnly {

		@Bean
		Clock clock() {
			return Clock.fixed(WEDNESDAY, ZoneOffset.UTC);
		}

	}

	@Test
	void theGatewayRefusesToStartWithATooLongCoolingOff() {
		ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(ScheduleOnly.class);
		runner.run(context -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(DeletionProperties.class).coolingOff()).isEqualTo(Duration.ofDays(7));
			assertThat(context.getBean(DeletionProperties.class).calendar().zone()).isEqualTo(SHANGHAI);
		});
		runner.withPropertyValues("tongxing.deletion.cooling-off=30d").run(context -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("must fit within 15 working days");
		});
		runner
			.withPropertyValues("tongxing.deletion.cooling-off=P14D",
					"tongxing.deletion.calendar.holidays=2027-02-08,2027-02-09")
			.run(context -> assertThat(context).hasNotFailed());
	}

}
