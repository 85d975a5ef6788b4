package dev.tongxing.server.testing;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Puts the shared clock back and forgets every code sent: a test that advanced the clock and sent codes leaves them
 * dated in the future once the clock is back, and every later test sending from 127.0.0.1 would be refused as too
 * frequent (MonitoringMetricsExportedTest's phone login was). Call it before and after such a test.
 */
public final class PhoneLimits {

	private PhoneLimits() {
	}

	public static void fresh(MutableClock clock, JdbcClient jdbc) {
		clock.reset();
		jdbc.sql("DELETE FROM phone_code").update();
		jdbc.sql("DELETE FROM phone_send_gate").update();
	}

}
