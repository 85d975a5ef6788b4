package dev.tongxing.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The events the gateway owes the soak's apps for what the soak did, worked out from the soak's own actions
 * (never from the gateway's outbox, which is what is being checked): a withdrawal of an app's access owes that
 * app a CAEP {@code session-revoked}; a deletion owes every app the soak saw receive a token for the person
 * {@code account-disabled} and {@code session-revoked} at once, and {@code account-purged} once the cooling-off
 * is over. Kept as counts per (app, event, sub), since one person can be owed the same event twice (a
 * withdrawal, then the deletion).
 */
final class SoakExpectedEvents {

	static final String SESSION_REVOKED = "https://schemas.openid.net/secevent/caep/event-type/session-revoked";

	static final String ACCOUNT_DISABLED = "https://schemas.openid.net/secevent/risc/event-type/account-disabled";

	static final String ACCOUNT_PURGED = "https://schemas.openid.net/secevent/risc/event-type/account-purged";

	record Key(String client, String eventType, String subject) {

		String shortName() {
			return this.client + " " + this.eventType.substring(this.eventType.lastIndexOf('/') + 1) + " sub "
					+ this.subject;
		}
	}

	private final Map<Key, AtomicInteger> owed = new ConcurrentHashMap<>();

	void expect(String client, String eventType, String subject) {
		this.owed.computeIfAbsent(new Key(client, eventType, subject), k -> new AtomicInteger()).incrementAndGet();
	}

	int expected() {
		return this.owed.values().stream().mapToInt(AtomicInteger::get).sum();
	}

	/** What {@code received} (distinct by jti) leaves unmatched, each owed event taking one received event. */
	Match match(List<SoakEventReceiver.Received> received) {
		Map<Key, Integer> got = new LinkedHashMap<>();
		for (SoakEventReceiver.Received r : received) {
			got.merge(new Key(r.client(), r.eventType(), r.subject()), 1, Integer::sum);
		}
		List<String> lost = new ArrayList<>();
		int expected = 0;
		int matched = 0;
		for (Map.Entry<Key, AtomicInteger> e : this.owed.entrySet()) {
			int want = e.getValue().get();
			int have = got.getOrDefault(e.getKey(), 0);
			expected += want;
			matched += Math.min(want, have);
			for (int i = have; i < want; i++) {
				lost.add(e.getKey().shortName());
			}
		}
		Map<String, Integer> byType = new LinkedHashMap<>();
		for (SoakEventReceiver.Received r : received) {
			byType.merge(r.eventType().substring(r.eventType().lastIndexOf('/') + 1), 1, Integer::sum);
		}
		return new Match(expected, received.size(), matched, lost, received.size() - matched, byType);
	}

	/**
	 * @param unexpected received events nothing the soak knew of owed: e.g. for a token the gateway issued but
	 * whose response a killed node never sent, which the soak cannot know the app received
	 */
	record Match(int expected, int received, int matched, List<String> lost, int unexpected,
			Map<String, Integer> receivedByType) {
	}

}
