package dev.tongxing.server.ops;

import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.MutableClock;
import dev.tongxing.wechat.emulator.WechatEmulator;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Base of the ops tests that drive incidents: each starts and ends with a healthy service — no incident,
 * no minute tallies, no probe results, no emulator faults, closed breakers, real time — because the Spring
 * context (and its database) is shared by every test class.
 */
abstract class OpsGatewayTest extends GatewayTest {

	@Autowired
	MutableClock clock;

	@Autowired
	IncidentDetector detector;

	@Autowired
	Incidents incidents;

	@Autowired
	WechatEmulator emulator;

	@Autowired
	CircuitBreakerRegistry breakers;

	@Autowired
	JdbcClient opsJdbc;

	@BeforeEach
	@AfterEach
	void healthyService() {
		this.opsJdbc.sql("DELETE FROM ops_incident_update").update();
		this.opsJdbc.sql("DELETE FROM ops_incident").update();
		this.opsJdbc.sql("DELETE FROM ops_login_minute").update();
		this.opsJdbc.sql("DELETE FROM ops_probe_result").update();
		this.emulator.control().clearFaults();
		this.emulator.control().settings().autoApproveUser = null;
		this.breakers.getAllCircuitBreakers().forEach(b -> b.reset());
		this.clock.reset();
	}

}
