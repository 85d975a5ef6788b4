package dev.tongxing.server.account;

/**
 * An identifier left an account because it had passed to someone else (a recycled phone number), published inside
 * the transaction that moves it: a synchronous listener's own writes (the apps' events, the end of the account's
 * sessions) commit or roll back with the move. The account's history records the same change as an unlink.
 *
 * @param userId the account that lost it
 * @param provider the identifier's namespace (e.g. {@code phone}); never the key
 * @param reason why it was judged recycled ({@link IdentifierRecycling.Recycled#reason()})
 */
public record IdentifierRecycled(String userId, String provider, String reason) {
}
