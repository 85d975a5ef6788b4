package dev.tongxing.server.kernel;

/**
 * A package that keeps personal data of its own about a person (beyond the account, sessions and tokens the
 * deletion handles itself) erases it when the account is deleted, by implementing this. It runs inside the
 * deletion's one transaction: throwing rolls the whole deletion back, to be tried again.
 */
public interface ErasureParticipant {

	/** A short name for the audit log, e.g. {@code complaints}. */
	String name();

	/** Deletes or irreversibly anonymises what this package holds about the user. */
	void erase(String userId);

}
