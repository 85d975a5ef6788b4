package dev.tongxing.server.ops;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Test helper: forgets incidents and minute tallies, so each test starts from a healthy service. */
final class OpsState {

	private OpsState() {
	}

	static void forget(JdbcClient jdbc) {
		jdbc.sql("DELETE FROM ops_incident_update").update();
		jdbc.sql("DELETE FROM ops_incident").update();
		jdbc.sql("DELETE FROM ops_login_minute").update();
	}

}
