package dev.tongxing.server.transfer;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.UserAccount;
import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.audit.AuditTypes;
import dev.tongxing.server.events.SecurityEvents;
import dev.tongxing.server.kernel.MobileNumbers;
import dev.tongxing.server.oidc.SubjectResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.stereotype.Service;

/**
 * {@code export users}: every active account of the tenant in the transfer format, so that people can be
 * taken to another system, or into a fresh gateway, as {@code import users} brings them in. Each record's
 * {@code subs} names every client that ever received the person's data with the sub it knows them by, and
 * {@code id} is the old system's id for people who were imported (the account id otherwise): exporting what
 * an export imported gives the same records.
 */
@Service
public class UserExport {

	private static final int PAGE = 500;

	private final AccountService accounts;

	private final ImportedPeople people;

	private final SecurityEvents events;

	private final SubjectResolver subjects;

	private final UserRecordFormat format;

	private final AuditLog audit;

	UserExport(AccountService accounts, ImportedPeople people, SecurityEvents events, SubjectResolver subjects,
			MobileNumbers phones, AuditLog audit) {
		this.accounts = accounts;
		this.people = people;
		this.events = events;
		this.subjects = subjects;
		this.format = new UserRecordFormat(phones);
		this.audit = audit;
	}

	/** @return how many records were written (one line each) */
	public long write(Writer out, String actor) {
		long written = 0;
		UserAccount after = null;
		try {
			List<UserAccount> page;
			do {
				page = this.accounts.activeAccounts(after, PAGE);
				for (UserAccount account : page) {
					out.write(this.format.write(record(account)));
					out.write('\n');
					written++;
				}
				after = page.isEmpty() ? null : page.get(page.size() - 1);
			}
			while (page.size() == PAGE);
			out.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.audit.record(AuditEntry.of(AuditTypes.ADMIN_USERS_EXPORTED).actor(actor).detail("records", written));
		return written;
	}

	UserRecord record(UserAccount account) {
		List<UserRecord.Wechat> wechat = new ArrayList<>();
		List<UserRecord.Wechat> unions = new ArrayList<>();
		List<UserRecord.Phone> phones = new ArrayList<>();
		List<UserRecord.Login> logins = new ArrayList<>();
		Instant lastLogin = null;
		for (AccountService.LinkedIdentity identity : this.accounts.identities(account.id())) {
			switch (identity.provider()) {
				case Namespaces.WECHAT_OPEN -> {
					int colon = identity.key().indexOf(':');
					wechat.add(new UserRecord.Wechat(identity.key().substring(0, colon), identity.key().substring(colon + 1),
							null));
				}
				case Namespaces.WECHAT_UNION -> unions.add(new UserRecord.Wechat(null, null, identity.key()));
				case Namespaces.PHONE -> phones.add(new UserRecord.Phone(identity.key(), true)); // linked only once proven
				default -> logins.add(new UserRecord.Login(identity.provider(), identity.key()));
			}
			if (identity.lastLoginAt() != null && (lastLogin == null || identity.lastLoginAt().isAfter(lastLogin))) {
				lastLogin = identity.lastLoginAt();
			}
		}
		// which openid goes with which UnionID is not kept (keys are kept, not pairs): a UnionID stands alone
		wechat.sort(Comparator.comparing(UserRecord.Wechat::appid).thenComparing(UserRecord.Wechat::openid));
		unions.sort(Comparator.comparing(UserRecord.Wechat::unionid));
		wechat.addAll(unions);
		phones.sort(Comparator.comparing(UserRecord.Phone::number));
		logins.sort(Comparator.comparing(UserRecord.Login::provider).thenComparing(UserRecord.Login::key));
		Optional<ImportedPeople.Imported> imported = this.people.byAccount(account.id());
		Map<String, String> subs = new TreeMap<>(this.people.subjects(account.id()));
		for (String client : this.events.recipients(account.id())) {
			subs.computeIfAbsent(client, c -> this.subjects.subjectFor(account.id(), c));
		}
		UserRecord.Consent consent = imported.filter(i -> i.consentPolicyVersion() != null)
			.map(i -> new UserRecord.Consent(i.consentPolicyVersion(), i.consentAt()))
			.orElse(null);
		return new UserRecord(imported.map(ImportedPeople.Imported::oldId).orElse(account.id()), account.displayName(),
				account.pictureUrl(), wechat, phones, logins, account.createdAt(), lastLogin, consent, subs);
	}

}
