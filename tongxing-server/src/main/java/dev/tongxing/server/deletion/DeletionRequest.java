package dev.tongxing.server.deletion;

import java.time.Instant;

/**
 * A person's request to delete their account. It holds ids and times only, and stays after the deletion as
 * the record that it was carried out.
 *
 * @param state {@link #PENDING} during the cooling-off, then {@link #CANCELLED} or {@link #COMPLETED}
 * @param dueAt when it is carried out
 * @param deadline when it must be done at the latest (15 working days after the request)
 */
public record DeletionRequest(String id, String userId, String state, Instant requestedAt, Instant dueAt,
		Instant deadline, Instant cancelledAt, Instant completedAt) {

	public static final String PENDING = "pending";

	public static final String CANCELLED = "cancelled";

	public static final String COMPLETED = "completed";

}
