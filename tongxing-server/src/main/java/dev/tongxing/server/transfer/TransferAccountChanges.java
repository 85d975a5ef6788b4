package dev.tongxing.server.transfer;

import dev.tongxing.server.account.AccountChangeKind;
import dev.tongxing.server.account.AccountChanged;
import dev.tongxing.server.kernel.ErasureParticipant;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Keeps the imported subs with the person: a merge (in the merge's transaction) hands them to the surviving
 * account; a deletion takes them away.
 */
@Component
class TransferAccountChanges implements ErasureParticipant {

	private final ImportedPeople people;

	TransferAccountChanges(ImportedPeople people) {
		this.people = people;
	}

	@EventListener
	void on(AccountChanged changed) {
		if (changed.kind() == AccountChangeKind.MERGE_IN && changed.otherUserId() != null) {
			this.people.merged(changed.userId(), changed.otherUserId());
		}
	}

	@Override
	public String name() {
		return "imported-subs";
	}

	@Override
	public void erase(String userId) {
		this.people.erase(userId);
	}

}
