package dev.tongxing.server.kernel;

/**
 * One area's part of "download my data": each package that keeps something about a person contributes a
 * section (a Spring bean implementing this), read through its own public interfaces.
 */
public interface PersonalDataSection {

	/** The section's key in the export, e.g. {@code account}; unique. */
	String name();

	/**
	 * Everything this area holds about the user, decrypted (it is the owner's own data), as values JSON can
	 * hold: records, maps, lists, strings, numbers, booleans, instants. An empty list when there is nothing.
	 */
	Object export(String userId);

}
