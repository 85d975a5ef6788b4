package dev.tongxing.server.complaint;

import dev.tongxing.server.crypto.PersonalDataCipher;
import dev.tongxing.server.kernel.ErasureParticipant;
import dev.tongxing.server.kernel.PersonalDataSection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * A person's complaint tickets as part of their account: tickets are opened without signing in, so they belong
 * to an account through its phone numbers (the contact a ticket was opened with, found by its keyed hash).
 * "Download my data" includes them, opened; deleting the account deletes them with it.
 */
@Component
class AccountComplaints implements PersonalDataSection, ErasureParticipant {

	/** One ticket as its owner downloads it. */
	record OwnTicket(String number, Instant openedAt, String state, String method, String contact, String description,
			Instant firstResponseAt, Instant closedAt, List<Map<String, Object>> messages) {
	}

	private final Tickets tickets;

	private final PersonalDataCipher cipher;

	private final PersonComplaints complaints;

	AccountComplaints(Tickets tickets, PersonalDataCipher cipher, PersonComplaints complaints) {
		this.tickets = tickets;
		this.cipher = cipher;
		this.complaints = complaints;
	}

	@Override
	public String name() {
		return "complaints";
	}

	@Override
	public Object export(String userId) {
		List<OwnTicket> own = new ArrayList<>();
		for (String number : numbers(userId)) {
			this.tickets.find(number).ifPresent(ticket -> {
				Tickets.Sealed sealed = this.tickets.sealed(ticket.id());
				List<Map<String, Object>> messages = this.tickets.messages(ticket.id())
					.stream()
					.map(m -> Map.<String, Object>of("at", m.at(), "author", m.author(), "text",
							this.cipher.open(m.sealedBody())))
					.toList();
				own.add(new OwnTicket(ticket.number(), ticket.createdAt(), ticket.state().column(),
						ticket.method(), this.cipher.open(sealed.contact()), this.cipher.open(sealed.description()),
						ticket.firstResponseAt(), ticket.closedAt(), messages));
			});
		}
		return own;
	}

	@Override
	public void erase(String userId) {
		numbers(userId).forEach(this.tickets::delete); // messages, failures, escalations go with them
	}

	private List<String> numbers(String userId) {
		return this.complaints.numbers(userId);
	}

}
