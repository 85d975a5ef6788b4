package dev.tongxing.server.audit;

/**
 * The append-only, hash-chained audit log. Called inside a transaction, the entry joins it: it is
 * appended when that transaction commits, and rolled back with the business change it records.
 */
public interface AuditLog {

	/**
	 * Appends an entry to the chain (at once, or when the current transaction commits).
	 * @throws IllegalArgumentException for a malformed type or details too large to keep
	 */
	void record(AuditEntry entry);

}
