package dev.tongxing.server.events;

import dev.tongxing.server.account.AccountChangeKind;
import dev.tongxing.server.account.AccountChanged;
import dev.tongxing.server.oidc.SubjectResolver;
import dev.tongxing.server.oidc.TokenIssued;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Feeds {@link Recipients} from every token the provider issues for a person. Claims reach a client only in a
 * token or through userinfo with one of its tokens, so tokens alone name every recipient (once per token).
 */
@Component
class RecipientTracking {

	private final Recipients recipients;

	private final SubjectResolver subjects;

	RecipientTracking(Recipients recipients, org.springframework.beans.factory.ObjectProvider<SubjectResolver> subjects) {
		this.recipients = recipients;
		this.subjects = subjects.getIfAvailable(() -> SubjectResolver.ACCOUNT_ID);
	}

	@EventListener
	void on(TokenIssued issued) {
		// client credentials: the subject is the client itself, no person's data was released
		if (!"client_credentials".equals(issued.grantType()) && issued.subject() != null && issued.clientId() != null) {
			// the client's events name the person by the sub it was given
			this.recipients.received(issued.subject(), issued.clientId(),
					this.subjects.subjectFor(issued.subject(), issued.clientId()));
		}
	}

	@EventListener
	void on(AccountChanged changed) {
		if (changed.kind() == AccountChangeKind.MERGE_IN && changed.otherUserId() != null) {
			this.recipients.merged(changed.userId(), changed.otherUserId());
		}
	}

}
