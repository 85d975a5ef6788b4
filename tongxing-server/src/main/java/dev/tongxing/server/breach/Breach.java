package dev.tongxing.server.breach;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A personal-data incident as recorded (PIPL Art. 57): when it was discovered and happened, which data, what
 * happened, why, the possible harm, what the handler did, what people can do and whom to ask.
 */
public record Breach(String id, Instant discoveredAt, Instant occurredFrom, Instant occurredTo,
		List<String> categories, Text description, Text cause, Text harm, Text measures, Text remedies,
		String contact, Status status, Instant recordedAt, String recordedBy, Selection selection,
		Instant selectedAt, String selectedBy, Instant noticesStartedAt, String noticesStartedBy) {

	/** A text in both languages of the notice. */
	public record Text(String zh, String en) {

		public String in(Locale locale) {
			return "zh".equals(locale.getLanguage()) ? this.zh : this.en;
		}

	}

	/**
	 * Whom the incident touched: the people with audit entries in [from, to) of one of the types (those given
	 * and those of the categories) and, when clients are given, of one of them.
	 */
	public record Selection(Instant from, Instant to, List<String> eventTypes, List<String> clientIds,
			List<String> categories) {

		public Selection {
			eventTypes = eventTypes == null ? List.of() : List.copyOf(eventTypes);
			clientIds = clientIds == null ? List.of() : List.copyOf(clientIds);
			categories = categories == null ? List.of() : List.copyOf(categories);
		}

	}

	public enum Status {

		/** Recorded; nobody selected yet. */
		RECORDED,
		/** A selection began (its criteria are frozen); confirming again finishes it. */
		SELECTING,
		/** The affected people are frozen; no notice sent yet. */
		SELECTED,
		/** Notices published in-app and SMS going out (or gone). */
		NOTIFYING;

		String column() {
			return name().toLowerCase(Locale.ROOT);
		}

		static Status of(String column) {
			return valueOf(column.toUpperCase(Locale.ROOT));
		}

	}

}
