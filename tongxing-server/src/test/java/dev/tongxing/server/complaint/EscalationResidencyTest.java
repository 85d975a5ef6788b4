package dev.tongxing.server.complaint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.FreePort;
import dev.tongxing.server.testing.GatewayNode;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** An escalation receiver declared outside the allowed regions gets nothing; the refusal is recorded. */
class EscalationResidencyTest {

	static final EscalationReceiver RECEIVER = new EscalationReceiver();

	static GatewayNode node;

	@BeforeAll
	static void start() {
		int port = FreePort.find();
		node = GatewayNode.start("http://127.0.0.1:" + port, port,
				Map.of("tongxing.complaints.escalation.webhook-url", RECEIVER.url(),
						"tongxing.complaints.escalation.region", "us", "tongxing.complaints.check-interval", "PT15M"));
	}

	@AfterAll
	static void stop() {
		if (node != null) {
			node.close();
		}
	}

	@Test
	void aReceiverOutsideTheAllowedRegionsIsNeverCalled() {
		String number = ComplaintTwoNodesTest.open(node.url(), "someone@example.com");
		JdbcClient jdbc = node.bean(JdbcClient.class);
		// as if more than two hours had passed
		jdbc.sql("UPDATE complaint_ticket SET first_response_due = DATEADD('HOUR', -3, first_response_due)").update();

		node.bean(EscalationCheck.class).check();

		assertThat(RECEIVER.calls()).isZero();
		assertThat(jdbc.sql("SELECT state FROM complaint_escalation WHERE level = 'breached'").query(String.class).single())
			.isEqualTo("refused");
		assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE type = 'residency.delivery-refused'")
			.query(Long.class)
			.single()).isEqualTo(1);
		assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE type = 'complaint.escalated' AND details LIKE :d AND details LIKE '%refused%'")
			.param("d", "%" + number + "%")
			.query(Long.class)
			.single()).isEqualTo(1);
		// once refused, later checks leave it alone
		node.bean(EscalationCheck.class).check();
		assertThat(RECEIVER.calls()).isZero();
	}

}
