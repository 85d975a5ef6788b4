package dev.tongxing.server.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key of pairwise subject identifiers (OpenID Connect Core §8.1): HKDF-SHA256 of the lookup-hash key, purpose
 * {@code pairwise-subject}. It shares the lookup-hash key's stability (that key never rotates without recomputing
 * every hash) but is a key of its own, so a pairwise {@code sub} is never a lookup hash of anything.
 */
public final class PairwiseSubjectKey {

	static final String PURPOSE = "pairwise-subject";

	private final SecretKeySpec key;

	public PairwiseSubjectKey(DataKeyProvider keys) {
		this.key = new SecretKeySpec(Hkdf.derive(keys.lookupHashKey().getEncoded(), PURPOSE), "HmacSHA256");
	}

	/**
	 * The {@code sub} of an account in a sector: base64url (no padding) of HMAC-SHA256 over the sector identifier
	 * and the account id, 43 characters. The same for every client of the sector, on every node.
	 */
	public String subject(String sectorIdentifier, String accountId) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(this.key);
			byte[] digest = mac.doFinal((sectorIdentifier + "\u0000" + accountId).getBytes(StandardCharsets.UTF_8));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HMAC-SHA256 is always available", ex);
		}
	}

}
