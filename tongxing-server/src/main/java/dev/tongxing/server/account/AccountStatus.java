package dev.tongxing.server.account;

import java.util.Arrays;

/** What an account is now; {@link #code()} is the one spelling stored in {@code account_user.status}. */
public enum AccountStatus {

	/** Signs in and holds tokens. */
	ACTIVE("active"),

	/** Merged into another account: its id stays only so old references resolve. */
	MERGED("merged"),

	/** Deleted: an opaque id with no personal data left. */
	ERASED("erased");

	private final String code;

	AccountStatus(String code) {
		this.code = code;
	}

	public String code() {
		return this.code;
	}

	/** @throws IllegalArgumentException for a spelling no release ever stored */
	public static AccountStatus of(String code) {
		return Arrays.stream(values())
			.filter(s -> s.code.equals(code))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("Unknown account status '" + code + "'"));
	}

}
