package dev.tongxing.server.audit;

/**
 * The append-only, hash-chained audit log. Called inside a transaction, the entry joins it: it is
 * committed or rolled back with the business change it records.
 */
public interface AuditLog {

	/**
	 * Appends an entry to the chain.
	 * @return the entry's sequence number
	 * @throws IllegalArgumentException for a malformed type or details too large to keep
	 */
	long record(AuditEntry entry);

}
