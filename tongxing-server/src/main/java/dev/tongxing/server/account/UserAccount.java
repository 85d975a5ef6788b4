package dev.tongxing.server.account;

import java.time.Instant;

/**
 * One person. {@code id} is the opaque, stable subject ({@code sub}) every client sees.
 */
public record UserAccount(String id, String displayName, String status, Instant createdAt) {

	public static final String ACTIVE = "active";

}
