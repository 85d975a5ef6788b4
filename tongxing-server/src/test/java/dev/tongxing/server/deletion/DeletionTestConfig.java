package dev.tongxing.server.deletion;

import dev.tongxing.server.kernel.ErasureParticipant;
import dev.tongxing.server.audit.AuditTrail;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * What the deletion tests add to the gateway: recorded security events, and an erasure step that can fail.
 * (The export test shares this context.)
 */
@TestConfiguration(proxyBeanMethods = false)
public class DeletionTestConfig {

	@Bean
	@Primary
	RecordingSecurityEvents recordingSecurityEvents(AuditTrail trail) {
		return new RecordingSecurityEvents(trail);
	}

	@Bean
	FailingErasure failingErasure() {
		return new FailingErasure();
	}

	/** Fails for the users a test names: the last step before the account's own erasure breaks. */
	static class FailingErasure implements ErasureParticipant {

		final Set<String> failFor = ConcurrentHashMap.newKeySet();

		@Override
		public String name() {
			return "test-participant";
		}

		@Override
		public void erase(String userId) {
			if (this.failFor.contains(userId)) {
				throw new IllegalStateException("Simulated failure while erasing " + userId);
			}
		}

	}

}
