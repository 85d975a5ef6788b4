package dev.tongxing.server.complaint;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.crypto.PersonalDataCipher;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * A person's complaint tickets, as other packages may ask for them (the console's person page): tickets are
 * opened without signing in, so they belong to an account through its phone numbers, each found by the contact's
 * keyed hash (never a scan of clear contacts). Only what the queue shows of a ticket: no contact, no text.
 */
@Component
public class PersonComplaints {

	/** One ticket as the queue lists it; {@code state} is {@code open}, {@code answered} or {@code closed}. */
	public record Summary(String number, String state, String method, Instant openedAt, Instant firstResponseAt,
			Instant closedAt) {
	}

	private final AccountService accounts;

	private final Tickets tickets;

	private final PersonalDataCipher cipher;

	PersonComplaints(AccountService accounts, Tickets tickets, PersonalDataCipher cipher) {
		this.accounts = accounts;
		this.tickets = tickets;
		this.cipher = cipher;
	}

	/** The person's tickets, oldest first. */
	public List<Summary> of(String userId) {
		return numbers(userId).stream()
			.flatMap(number -> this.tickets.find(number).stream())
			.map(t -> new Summary(t.number(), t.state().column(), t.method(), t.createdAt(), t.firstResponseAt(),
					t.closedAt()))
			.toList();
	}

	/** The numbers of the tickets opened with one of the account's phone numbers, oldest first per number. */
	List<String> numbers(String userId) {
		return this.accounts.identities(userId)
			.stream()
			.filter(identity -> identity.provider().equals("phone"))
			.flatMap(identity -> this.tickets
				.numbersByContact(this.cipher.lookupHash(ComplaintDesk.CONTACT_PURPOSE, identity.key()))
				.stream())
			.distinct()
			.toList();
	}

}
