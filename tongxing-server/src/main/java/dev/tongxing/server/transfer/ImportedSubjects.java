package dev.tongxing.server.transfer;

import dev.tongxing.server.oidc.PreservedSubjects;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The subs imported people bring ({@link PreservedSubjects}): a client named in an imported person's {@code subs}
 * gets that sub, whatever the gateway would compute for it (the provider's {@code SubjectResolver} asks here
 * first). Asked for every token, so a client nobody was imported for costs no
 * query: that it has no subs is believed for {@link #NONE_FOR}, after which it is asked again (an import on
 * another node shows within that time); once it has some, each token looks its person up (one indexed row).
 */
@Component
class ImportedSubjects implements PreservedSubjects {

	/** As long as the registered-client cache's default: the same staleness for a change made elsewhere. */
	static final Duration NONE_FOR = Duration.ofSeconds(1);

	private final ImportedPeople people;

	private final Clock clock;

	/** Subs are never taken from a client as a whole (an erased person's only): once some, always asked. */
	private final Set<String> clientsWithSubs = ConcurrentHashMap.newKeySet();

	private final Map<String, Instant> clientsWithoutSubs = new ConcurrentHashMap<>();

	ImportedSubjects(ImportedPeople people, Clock clock) {
		this.people = people;
		this.clock = clock;
	}

	@Override
	public Optional<String> preservedSubject(String userId, String clientId) {
		return mayHaveSubs(clientId) ? this.people.subject(userId, clientId) : Optional.empty();
	}

	@Override
	public Optional<String> preservedUser(String subject, String clientId) {
		return mayHaveSubs(clientId) ? this.people.accountFor(clientId, subject) : Optional.empty();
	}

	/** The imported sub the client knew the user by, else the account id. */
	String subjectFor(String userId, String clientId) {
		return preservedSubject(userId, clientId).orElse(userId);
	}

	/** The account an imported sub of the client stands for, else the sub itself. */
	String userFor(String subject, String clientId) {
		return preservedUser(subject, clientId).orElse(subject);
	}

	/** An import on this node gave the client subs: ask from now on. */
	void subsAdded(String clientId) {
		this.clientsWithSubs.add(clientId);
		this.clientsWithoutSubs.remove(clientId);
	}

	private boolean mayHaveSubs(String clientId) {
		if (this.clientsWithSubs.contains(clientId)) {
			return true;
		}
		Instant now = this.clock.instant();
		Instant checked = this.clientsWithoutSubs.get(clientId);
		if (checked != null && now.isBefore(checked.plus(NONE_FOR))) {
			return false;
		}
		if (this.people.anySubjects(clientId)) {
			subsAdded(clientId);
			return true;
		}
		this.clientsWithoutSubs.put(clientId, now);
		return false;
	}

}
