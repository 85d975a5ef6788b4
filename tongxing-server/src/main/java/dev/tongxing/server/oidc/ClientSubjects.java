package dev.tongxing.server.oidc;

import dev.tongxing.server.account.AccountChangeKind;
import dev.tongxing.server.account.AccountChanged;
import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.crypto.PairwiseSubjectKey;
import dev.tongxing.server.kernel.ErasureParticipant;
import dev.tongxing.server.oidc.client.ClientSettingNames;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The provider's {@link SubjectResolver}: the {@code sub} a client sees for a person. A sub the client knew from
 * before (an imported person's, {@link PreservedSubjects}) wins; otherwise a client with {@code subject-type:
 * pairwise} gets the person's pairwise sub in its sector (OIDC Core §8.1), every other client the account id.
 * <p>
 * A pairwise sub is {@link PairwiseSubjectKey#subject} of the client's sector and the account id, computed once
 * and kept in {@code oidc_pairwise_subject}: from then on the stored one is given (a changed sector or key never
 * changes the subs a client already has), and a sub the client sends back maps to its account by one indexed read.
 * The rows go with the account (an {@link ErasureParticipant}); a merge hands the merged account's rows to the
 * survivor at the clients where the survivor has none, so every app keeps seeing the sub it knew.
 */
@Component
public class ClientSubjects implements SubjectResolver, ErasureParticipant {

	private final RegisteredClientRepository clients;

	private final JdbcClient jdbc;

	private final PairwiseSubjectKey key;

	private final Clock clock;

	private final ObjectProvider<PreservedSubjects> preserved;

	private final ObjectProvider<AccountService> accounts;

	/** A savepoint inside the caller's transaction (losing a race must not abort it on PostgreSQL), else its own. */
	private final TransactionTemplate savepoint;

	ClientSubjects(RegisteredClientRepository clients, JdbcClient jdbc, PairwiseSubjectKey key, Clock clock,
			ObjectProvider<PreservedSubjects> preserved, ObjectProvider<AccountService> accounts,
			PlatformTransactionManager transactions) {
		this.clients = clients;
		this.jdbc = jdbc;
		this.key = key;
		this.clock = clock;
		this.preserved = preserved;
		this.accounts = accounts;
		this.savepoint = new TransactionTemplate(transactions);
		this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
	}

	@Override
	public String subjectFor(String userId, String clientId) {
		PreservedSubjects preserved = this.preserved.getIfAvailable();
		if (preserved != null) {
			Optional<String> known = preserved.preservedSubject(userId, clientId);
			if (known.isPresent()) {
				return known.get();
			}
		}
		RegisteredClient client = this.clients.findByClientId(clientId);
		if (client == null || !ClientSettingNames.pairwise(client)) {
			return userId;
		}
		Optional<String> stored = stored(userId, clientId);
		if (stored.isPresent()) {
			return stored.get();
		}
		String sector = ClientSettingNames.sectorIdentifier(client);
		String subject = this.key.subject(sector, userId);
		try {
			this.savepoint.executeWithoutResult(status -> this.jdbc.sql("""
					INSERT INTO oidc_pairwise_subject (client_id, user_id, subject, sector_identifier, created_at)
					VALUES (:c, :u, :s, :sector, :at)""")
				.param("c", clientId)
				.param("u", userId)
				.param("s", subject)
				.param("sector", sector)
				.param("at", this.clock.instant().atOffset(ZoneOffset.UTC))
				.update());
		}
		catch (DuplicateKeyException raced) {
			// another request stored it at the same moment: the stored one is the sub
			return stored(userId, clientId).orElse(subject);
		}
		return subject;
	}

	@Override
	public String userFor(String subject, String clientId) {
		PreservedSubjects preserved = this.preserved.getIfAvailable();
		if (preserved != null) {
			Optional<String> known = preserved.preservedUser(subject, clientId);
			if (known.isPresent()) {
				return known.get();
			}
		}
		RegisteredClient client = this.clients.findByClientId(clientId);
		if (client == null || !ClientSettingNames.pairwise(client)) {
			return subject;
		}
		return this.jdbc.sql("SELECT user_id FROM oidc_pairwise_subject WHERE client_id = :c AND subject = :s")
			.param("c", clientId)
			.param("s", subject)
			.query(String.class)
			.optional()
			.orElse(subject);
	}

	private Optional<String> stored(String userId, String clientId) {
		return this.jdbc.sql("SELECT subject FROM oidc_pairwise_subject WHERE client_id = :c AND user_id = :u")
			.param("c", clientId)
			.param("u", userId)
			.query(String.class)
			.optional();
	}

	/** The pairwise subs the user was given, by client id. */
	public Map<String, String> pairwiseSubjects(String userId) {
		Map<String, String> subjects = new LinkedHashMap<>();
		this.jdbc.sql("SELECT client_id, subject FROM oidc_pairwise_subject WHERE user_id = :u ORDER BY client_id")
			.param("u", userId)
			.query((rs, i) -> subjects.put(rs.getString(1), rs.getString(2)))
			.list();
		return subjects;
	}

	/**
	 * In the merge's transaction: at each client where only the merged account had a sub, that sub is the
	 * survivor's now (the app keeps the person it knew); where both had one, the survivor's stays.
	 */
	@EventListener
	void on(AccountChanged changed) {
		if (changed.kind() != AccountChangeKind.MERGE_IN || changed.otherUserId() == null) {
			return;
		}
		String into = changed.userId();
		String from = changed.otherUserId();
		Map<String, String> survivors = pairwiseSubjects(into);
		pairwiseSubjects(from).keySet()
			.stream()
			.filter(clientId -> !survivors.containsKey(clientId))
			.forEach(clientId -> this.jdbc
				.sql("UPDATE oidc_pairwise_subject SET user_id = :into WHERE user_id = :from AND client_id = :c")
				.param("into", into)
				.param("from", from)
				.param("c", clientId)
				.update());
	}

	@Override
	public String name() {
		return "pairwise-subs";
	}

	/** The user's pairwise subs, and those of every account merged into it. */
	@Override
	public void erase(String userId) {
		AccountService accounts = this.accounts.getIfAvailable();
		for (String id : accounts == null ? List.of(userId) : accounts.withMergedAccounts(userId)) {
			this.jdbc.sql("DELETE FROM oidc_pairwise_subject WHERE user_id = :u").param("u", id).update();
		}
	}

}
