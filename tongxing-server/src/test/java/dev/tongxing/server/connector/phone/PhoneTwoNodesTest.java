package dev.tongxing.server.connector.phone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.GatewayNode;
import dev.tongxing.server.testing.TwoNodes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two gateway nodes on one PostgreSQL: a code sent by one node is checked by the other, and the send limits
 * hold for the pair, even for requests that arrive at both at the same moment.
 */
class PhoneTwoNodesTest {

	static TwoNodes nodes;

	static GatewayNode a;

	static GatewayNode b;

	@BeforeAll
	static void startNodes() {
		nodes = TwoNodes.start();
		a = nodes.a();
		b = nodes.b();
	}

	@AfterAll
	static void stopNodes() throws Exception {
		if (nodes != null) {
			nodes.close();
		}
	}

	@Test
	void aCodeSentByOneNodeIsCheckedByTheOther() {
		PhoneVerification onA = a.bean(PhoneVerification.class);
		PhoneVerification onB = b.bean(PhoneVerification.class);
		assertThat(onA.send("13800138000", "203.0.113.1")).isInstanceOf(SendOutcome.Sent.class);
		String code = ((LogSmsSender) a.bean(SmsSender.class)).latestPerPhone().get(0).code();
		assertThat(onB.send("+86 138 0013 8000", "203.0.113.2")).as("the number's limit spans the nodes")
			.isInstanceOf(SendOutcome.Limited.class);
		assertThat(onB.verify("+8613800138000", code)).isEqualTo(new VerifyOutcome.Verified("+8613800138000"));
		assertThat(onA.verify("+8613800138000", code)).isEqualTo(new VerifyOutcome.NoCode());
	}

	@Test
	void simultaneousRequestsOnBothNodesSendOneCode() throws Exception {
		List<Callable<SendOutcome>> requests = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			PhoneVerification node = (i % 2 == 0 ? a : b).bean(PhoneVerification.class);
			String ip = "198.51.100." + i;
			requests.add(() -> node.send("13900139000", ip));
		}
		List<SendOutcome> outcomes = new ArrayList<>();
		try (var pool = Executors.newFixedThreadPool(10)) {
			for (Future<SendOutcome> f : pool.invokeAll(requests)) {
				outcomes.add(f.get());
			}
		}
		assertThat(outcomes).filteredOn(SendOutcome.Sent.class::isInstance).hasSize(1);
		assertThat(outcomes).filteredOn(SendOutcome.Limited.class::isInstance).hasSize(9);
	}

}
