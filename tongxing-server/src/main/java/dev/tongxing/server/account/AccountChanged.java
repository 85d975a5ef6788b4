package dev.tongxing.server.account;

/**
 * A change to who a user is or how they sign in, published inside the transaction that makes it: a
 * synchronous listener's own writes (an outbox row for a security event, say) commit or roll back with it.
 *
 * @param kind what changed (its {@link AccountChangeKind#code()} is the spelling in {@code account_link_event})
 * @param provider the sign-in method's provider for link/unlink (e.g. {@code phone}), otherwise null; never a key
 * @param otherUserId the other side of a merge, otherwise null
 * @param method how the change was proved (e.g. {@code wechat}, {@code phone}), when known
 */
public record AccountChanged(String userId, AccountChangeKind kind, String provider, String otherUserId, String method) {

	public boolean isPhone() {
		return "phone".equals(this.provider);
	}

}
