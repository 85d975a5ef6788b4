package dev.tongxing.server.complaint;

import java.util.Locale;

/** Where a ticket stands: waiting for its first response, answered, or closed. */
enum TicketState {

	OPEN, ANSWERED, CLOSED;

	public String column() {
		return name().toLowerCase(Locale.ROOT);
	}

	static TicketState of(String column) {
		return valueOf(column.toUpperCase(Locale.ROOT));
	}

}
