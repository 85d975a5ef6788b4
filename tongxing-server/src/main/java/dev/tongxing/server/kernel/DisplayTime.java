package dev.tongxing.server.kernel;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;

/**
 * The one time zone every page people see shows its times in ({@code tongxing.display.time-zone}, default
 * {@code Asia/Shanghai}), named beside them; in the templates {@code ${@displayTime.withZone(instant)}}.
 */
@Component("displayTime")
public class DisplayTime {

	private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

	private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd");

	private final ZoneId zone;

	DisplayTime(Properties properties) {
		this.zone = properties.timeZone();
	}

	public ZoneId zone() {
		return this.zone;
	}

	/** The zone's name as pages show it, e.g. {@code Asia/Shanghai}. */
	public String zoneName() {
		return this.zone.getId();
	}

	/** {@code 2026-12-04 20:15}, in the zone, without its name (for a page that names it once). */
	public String dateTime(Instant instant) {
		return instant == null ? "" : DATE_TIME.format(instant.atZone(this.zone));
	}

	/** {@code 2026-12-04 20:15 (Asia/Shanghai)}. */
	public String withZone(Instant instant) {
		return instant == null ? "" : dateTime(instant) + " (" + zoneName() + ")";
	}

	/** {@code 2026-12-04}: the day in the zone. */
	public String date(Instant instant) {
		return instant == null ? "" : DATE.format(instant.atZone(this.zone));
	}

	@ConfigurationProperties("tongxing.display")
	public record Properties(@DefaultValue("Asia/Shanghai") ZoneId timeZone) {
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(Properties.class)
	static class Config {

	}

}
