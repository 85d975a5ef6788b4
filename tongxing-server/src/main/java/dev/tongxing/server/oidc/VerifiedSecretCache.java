package dev.tongxing.server.oidc;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Client secrets are stored as slow hashes (bcrypt), which is right at rest but would make every
 * {@code client_credentials} call cost ~100 ms of CPU. After one successful slow check this remembers a
 * keyed MAC of the secret (the MAC key lives only in this process), so later checks of the same secret
 * against the same stored hash cost microseconds. A changed stored hash is a new cache key.
 */
final class VerifiedSecretCache implements PasswordEncoder {

	private static final int MAX_ENTRIES = 10_000;

	private final PasswordEncoder delegate;

	private final byte[] macKey = new byte[32];

	private final Map<String, byte[]> verified = new ConcurrentHashMap<>();

	VerifiedSecretCache(PasswordEncoder delegate) {
		this.delegate = delegate;
		new SecureRandom().nextBytes(this.macKey);
	}

	@Override
	public String encode(CharSequence rawPassword) {
		return this.delegate.encode(rawPassword);
	}

	@Override
	public boolean matches(CharSequence rawPassword, String encodedPassword) {
		if (rawPassword == null || encodedPassword == null) {
			return false;
		}
		byte[] mac = mac(rawPassword);
		byte[] known = this.verified.get(encodedPassword);
		if (known != null && MessageDigest.isEqual(known, mac)) {
			return true;
		}
		boolean ok = this.delegate.matches(rawPassword, encodedPassword);
		if (ok) {
			if (this.verified.size() >= MAX_ENTRIES) {
				this.verified.clear();
			}
			this.verified.put(encodedPassword, mac);
		}
		return ok;
	}

	@Override
	public boolean upgradeEncoding(String encodedPassword) {
		return this.delegate.upgradeEncoding(encodedPassword);
	}

	private byte[] mac(CharSequence raw) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(this.macKey, "HmacSHA256"));
			return mac.doFinal(raw.toString().getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
