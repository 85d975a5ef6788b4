package dev.tongxing.server.account;

import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import java.time.Instant;
import java.util.Optional;

/**
 * Tells whether an identifier bound to an account may since have passed to someone else (a phone number the
 * carrier recycled, 二次号), declared by the package that owns the identifier's namespace. When such a key is
 * proven again, the account store does not let the prover into the old account: the key moves to the prover,
 * and the old account is kept, told, and loses only that key.
 */
public interface IdentifierRecycling {

	/** Whether this judges keys of the namespace ({@code IdentityKey.provider}). */
	boolean covers(String provider);

	/**
	 * @param binding the account the key is bound to now, and since when
	 * @return why the binding is stale, or empty when the key still belongs to that account
	 */
	Optional<Recycled> recycled(IdentityKey key, Binding binding);

	/**
	 * @param boundAt when the key was bound to the account
	 * @param lastSignInAt the account's last sign-in by any of its ways in (its creation when it never signed in)
	 */
	record Binding(String userId, Instant boundAt, Instant lastSignInAt) {
	}

	/**
	 * @param reason a stable code for records and metrics ({@code carrier-signal}, {@code inactive})
	 * @param shownAs the key as its former holder may see it again (a masked number), never the key itself
	 */
	record Recycled(String reason, String shownAs) {
	}

}
