package dev.tongxing.server.account;

/**
 * What an {@link AccountChanged} did; {@link #code()} is the one spelling stored in
 * {@code account_link_event.kind}.
 */
public enum AccountChangeKind {

	CREATE("create"),

	LINK("link"),

	UNLINK("unlink"),

	/** This account received another one (its {@code otherUserId}). */
	MERGE_IN("merge-in"),

	/** This account was merged into another one (its {@code otherUserId}). */
	MERGED_INTO("merged-into"),

	ERASE("erase");

	private final String code;

	AccountChangeKind(String code) {
		this.code = code;
	}

	public String code() {
		return this.code;
	}

}
