package dev.tongxing.server.crypto;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Data keys from configuration ({@code tongxing.pii.*}) plus one derived from each master key
 * ({@code tongxing.keys.master-key} and the retired ones) with HKDF-SHA256, so a gateway without any
 * {@code tongxing.pii} setting works, and data sealed under derived keys still opens once explicit keys are
 * configured. Every problem is reported at start-up, all at once.
 */
public final class ConfiguredDataKeyProvider implements DataKeyProvider {

	private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	private final String currentKeyId;

	private final Map<String, SecretKey> keys;

	private final SecretKey lookupHashKey;

	public ConfiguredDataKeyProvider(PiiProperties pii, MasterKeyProperties master) {
		List<String> problems = new ArrayList<>();
		Map<String, byte[]> masterKeys = new LinkedHashMap<>();
		masterKeys.put(master.masterKeyId(), decode("tongxing.keys.master-key", master.masterKey(), 32, true, problems));
		master.retiredMasterKeys()
			.forEach((id, value) -> masterKeys.put(id,
					decode("tongxing.keys.retired-master-keys." + id, value, 32, true, problems)));

		Map<String, SecretKey> all = new LinkedHashMap<>();
		masterKeys.forEach((id, raw) -> {
			if (raw != null) {
				all.put(PiiProperties.DERIVED_PREFIX + id, aes(Hkdf.derive(raw, "data-key")));
			}
		});
		pii.dataKeys().forEach((id, value) -> {
			if (!KEY_ID.matcher(id).matches() || id.startsWith(PiiProperties.DERIVED_PREFIX)) {
				problems.add("tongxing.pii.data-keys: key id '" + id + "' must be 1-64 of A-Z a-z 0-9 . _ - and not "
						+ "start with '" + PiiProperties.DERIVED_PREFIX + "' (those are derived from master keys)");
				return;
			}
			byte[] raw = decode("tongxing.pii.data-keys." + id, value, 32, true, problems);
			if (raw != null) {
				all.put(id, aes(raw));
			}
		});

		String current = pii.currentKeyId();
		if (current == null || current.isBlank()) {
			current = pii.dataKeys().isEmpty() ? PiiProperties.DERIVED_PREFIX + master.masterKeyId() : null;
			if (current == null) {
				problems.add("tongxing.pii.current-key-id is required when tongxing.pii.data-keys are set: "
						+ "name the key new personal data is sealed under (one of " + pii.dataKeys().keySet() + ")");
			}
		}
		else if (!all.containsKey(current) && problems.isEmpty()) {
			problems.add("tongxing.pii.current-key-id '" + current + "' names no data key; configured: "
					+ all.keySet());
		}

		byte[] lookup = null;
		if (pii.lookupHashKey() != null && !pii.lookupHashKey().isBlank()) {
			lookup = decode("tongxing.pii.lookup-hash-key", pii.lookupHashKey(), 32, false, problems);
		}
		else {
			String from = pii.lookupHashMasterKeyId() == null || pii.lookupHashMasterKeyId().isBlank()
					? master.masterKeyId() : pii.lookupHashMasterKeyId();
			if (!masterKeys.containsKey(from)) {
				problems.add("tongxing.pii.lookup-hash-master-key-id '" + from + "' names no configured master key "
						+ "(tongxing.keys.master-key-id or tongxing.keys.retired-master-keys)");
			}
			else if (masterKeys.get(from) != null) {
				lookup = Hkdf.derive(masterKeys.get(from), "lookup-hash-key");
			}
		}
		if (!problems.isEmpty()) {
			throw new IllegalStateException("Personal-data encryption is misconfigured:\n  - "
					+ String.join("\n  - ", problems));
		}
		this.currentKeyId = current;
		this.keys = Map.copyOf(all);
		this.lookupHashKey = new SecretKeySpec(lookup, "HmacSHA256");
	}

	private static byte[] decode(String property, String base64, int minBytes, boolean exact, List<String> problems) {
		if (base64 == null || base64.isBlank()) {
			problems.add(property + " is empty");
			return null;
		}
		byte[] raw;
		try {
			raw = Base64.getDecoder().decode(base64.trim());
		}
		catch (IllegalArgumentException ex) {
			problems.add(property + " is not valid Base64");
			return null;
		}
		if (exact ? raw.length != minBytes : raw.length < minBytes) {
			problems.add(property + " must be " + (exact ? "" : "at least ") + minBytes
					+ " random bytes in Base64 (openssl rand -base64 32), got " + raw.length);
			return null;
		}
		return raw;
	}

	private static SecretKey aes(byte[] raw) {
		return new SecretKeySpec(raw, "AES");
	}

	@Override
	public String currentKeyId() {
		return this.currentKeyId;
	}

	@Override
	public SecretKey key(String keyId) {
		SecretKey key = keyId == null ? null : this.keys.get(keyId);
		if (key == null) {
			throw new UnknownDataKeyException(keyId);
		}
		return key;
	}

	@Override
	public Set<String> keyIds() {
		return this.keys.keySet();
	}

	@Override
	public SecretKey lookupHashKey() {
		return this.lookupHashKey;
	}

}
