package dev.tongxing.server.account;

import java.time.Instant;

/**
 * One person. {@code id} is the opaque, stable subject ({@code sub}) every client sees.
 *
 * @param displayName a name to show (e.g. the WeChat nickname); never a key
 * @param status {@link AccountStatus#ACTIVE}, {@link AccountStatus#MERGED} once merged into another account, or
 * {@link AccountStatus#ERASED} once deleted
 */
public record UserAccount(String id, String displayName, AccountStatus status, Instant createdAt, String pictureUrl) {

	public static final AccountStatus ACTIVE = AccountStatus.ACTIVE;

	public static final AccountStatus MERGED = AccountStatus.MERGED;

	public static final AccountStatus ERASED = AccountStatus.ERASED;

	public boolean active() {
		return this.status == AccountStatus.ACTIVE;
	}

}
