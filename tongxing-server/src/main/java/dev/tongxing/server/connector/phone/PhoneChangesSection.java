package dev.tongxing.server.connector.phone;

import dev.tongxing.server.crypto.PersonalDataCipher;
import dev.tongxing.server.kernel.PersonalDataSection;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The person's changes of their phone number, in their copy of their data (PIPL Art. 45): each change's state
 * and times, and — while one waits — the two numbers it holds (the owner's own data, opened).
 */
@Component
class PhoneChangesSection implements PersonalDataSection {

	/** One change as exported; the numbers are null once it is over (they are not kept then). */
	record Change(String id, String state, Instant requestedAt, Instant dueAt, Instant cancelledAt,
			Instant finishedAt, String noticeToOldNumber, String oldNumber, String newNumber) {
	}

	private final PhoneChangeStore store;

	private final PersonalDataCipher cipher;

	PhoneChangesSection(PhoneChangeStore store, PersonalDataCipher cipher) {
		this.store = store;
		this.cipher = cipher;
	}

	@Override
	public String name() {
		return "phone_changes";
	}

	@Override
	public Object export(String userId) {
		List<Change> changes = this.store.all(userId)
			.stream()
			.map(c -> new Change(c.id(), c.state(), c.requestedAt(), c.dueAt(), c.cancelledAt(), c.finishedAt(),
					c.noticeState(), open(c.oldPhoneSealed()), open(c.newPhoneSealed())))
			.toList();
		return changes;
	}

	private String open(String sealed) {
		return sealed == null ? null : this.cipher.open(sealed);
	}

}
