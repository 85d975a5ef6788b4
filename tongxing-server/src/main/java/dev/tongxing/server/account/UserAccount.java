package dev.tongxing.server.account;

import java.time.Instant;

/**
 * One person. {@code id} is the opaque, stable subject ({@code sub}) every client sees.
 *
 * @param displayName a name to show (e.g. the WeChat nickname); never a key
 * @param status {@link #ACTIVE}, {@link #MERGED} once merged into another account, or {@link #ERASED} once
 * deleted
 */
public record UserAccount(String id, String displayName, String status, Instant createdAt, String pictureUrl) {

	public static final String ACTIVE = "active";

	public static final String MERGED = "merged";

	public static final String ERASED = "erased";

	public boolean active() {
		return ACTIVE.equals(this.status);
	}

}
