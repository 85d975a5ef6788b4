package dev.tongxing.server.deletion;

import dev.tongxing.server.audit.AuditTrail;
import dev.tongxing.server.audit.AuditTypes;
import dev.tongxing.server.events.SecurityEvents;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Security events as the outbox would send them: recorded only when the caller's transaction commits (a
 * rolled-back change sends nothing). Recipients are the clients tokens were ever issued to, per the audit log.
 * For the deletion tests that are about deletion itself; the end-to-end test uses the real implementation.
 */
public class RecordingSecurityEvents implements SecurityEvents {

	public record Sent(String kind, String userId, String detail) {
	}

	private final List<Sent> sent = new CopyOnWriteArrayList<>();

	private final AuditTrail trail;

	public RecordingSecurityEvents(AuditTrail trail) {
		this.trail = trail;
	}

	public List<Sent> sent(String userId) {
		return this.sent.stream().filter(s -> s.userId().equals(userId)).toList();
	}

	public List<String> kinds(String userId) {
		return sent(userId).stream().map(Sent::kind).toList();
	}

	@Override
	public Set<String> recipients(String userId) {
		Set<String> clients = new TreeSet<>();
		this.trail.about(userId)
			.stream()
			.filter(e -> AuditTypes.TOKEN_ISSUED.equals(e.type()) && e.clientId() != null)
			.forEach(e -> clients.add(e.clientId()));
		return clients;
	}

	@Override
	public void accountPurged(String userId) {
		queue(new Sent("account-purged", userId, null));
	}

	@Override
	public void accountDisabled(String userId, String reason) {
		queue(new Sent("account-disabled", userId, reason));
	}

	@Override
	public void accountPurged(String userId, Initiator initiator) {
		queue(new Sent("account-purged", userId, null));
	}

	@Override
	public void accountDisabled(String userId, String reason, Initiator initiator) {
		queue(new Sent("account-disabled", userId, reason));
	}

	@Override
	public void accountEnabled(String userId) {
		queue(new Sent("account-enabled", userId, null));
	}

	@Override
	public void sessionRevoked(String userId, String clientId) {
		queue(new Sent("session-revoked", userId, clientId));
	}

	@Override
	public void logoutEverywhere(String userId) {
		queue(new Sent("logout", userId, null));
	}

	@Override
	public void logout(String userId, String clientId) {
		queue(new Sent("logout", userId, clientId));
	}

	private void queue(Sent event) {
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					RecordingSecurityEvents.this.sent.add(event);
				}
			});
		}
		else {
			this.sent.add(event);
		}
	}

}
