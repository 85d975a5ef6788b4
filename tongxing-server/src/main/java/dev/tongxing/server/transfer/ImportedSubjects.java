package dev.tongxing.server.transfer;

import dev.tongxing.server.oidc.SubjectResolver;
import org.springframework.stereotype.Component;

/**
 * The provider's {@link SubjectResolver}: a client named in an imported person's {@code subs} gets that sub,
 * every other client the account id. One indexed lookup per token.
 */
@Component
class ImportedSubjects implements SubjectResolver {

	private final ImportedPeople people;

	ImportedSubjects(ImportedPeople people) {
		this.people = people;
	}

	@Override
	public String subjectFor(String userId, String clientId) {
		return this.people.subject(userId, clientId).orElse(userId);
	}

	@Override
	public String userFor(String subject, String clientId) {
		return this.people.accountFor(clientId, subject).orElse(subject);
	}

}
