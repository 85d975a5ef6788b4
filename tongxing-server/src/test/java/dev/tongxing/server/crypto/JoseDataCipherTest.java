package dev.tongxing.server.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sealing, opening, key rotation and lookup hashes, without a database. */
class JoseDataCipherTest {

	static final String MASTER = "dGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzLWxvbmchISE=";

	static final String KEY_A = Base64.getEncoder().encodeToString("data-key-A-32-bytes-long-enough!".getBytes());

	static final String KEY_B = Base64.getEncoder().encodeToString("data-key-B-32-bytes-long-enough!".getBytes());

	static MasterKeyProperties master(String id, String key, Map<String, String> retired) {
		return new MasterKeyProperties(key, id, retired);
	}

	static JoseDataCipher cipher(PiiProperties pii) {
		return new JoseDataCipher(new ConfiguredDataKeyProvider(pii, master("m1", MASTER, Map.of())));
	}

	static PiiProperties pii(Map<String, String> keys, String current) {
		return new PiiProperties(keys, current, null, null, 500);
	}

	@Test
	void sealsEveryTimeDifferentlyAndOpensToTheSameValue() {
		JoseDataCipher cipher = cipher(pii(Map.of(), null));
		String a = cipher.seal("+8613800138000");
		String b = cipher.seal("+8613800138000");
		assertThat(a).isNotEqualTo(b).doesNotContain("13800138000").startsWith("eyJ");
		assertThat(cipher.open(a)).isEqualTo("+8613800138000");
		assertThat(cipher.open(b)).isEqualTo("+8613800138000");
		assertThat(cipher.seal(null)).isNull();
		assertThat(cipher.open(null)).isNull();
		assertThat(cipher.open(cipher.seal("陈小明🐼"))).isEqualTo("陈小明🐼");
		assertThat(JoseDataCipher.isSealed(a)).isTrue();
		assertThat(JoseDataCipher.isSealed("+8613800138000")).isFalse();
		assertThat(JoseDataCipher.isSealed("eyJhbGciOiJSUzI1NiJ9.e30.c2ln")).as("a JWS is not a sealed value").isFalse();
	}

	@Test
	void withoutConfigurationTheKeyIsDerivedFromTheMasterKey() {
		JoseDataCipher cipher = cipher(pii(Map.of(), null));
		assertThat(cipher.keyIdOf(cipher.seal("x"))).isEqualTo("mk-m1");
		// the same master key on another node derives the same keys
		assertThat(cipher(pii(Map.of(), null)).open(cipher.seal("x"))).isEqualTo("x");
		// another master key does not
		JoseDataCipher other = new JoseDataCipher(new ConfiguredDataKeyProvider(pii(Map.of(), null),
				master("m1", Base64.getEncoder().encodeToString(new byte[32]), Map.of())));
		assertThatThrownBy(() -> other.open(cipher.seal("x"))).isInstanceOf(IllegalStateException.class)
			.hasMessageNotContaining("x\"");
	}

	@Test
	void tamperedValuesDoNotOpen() {
		JoseDataCipher cipher = cipher(pii(Map.of(), null));
		String sealed = cipher.seal("+8613800138000");
		String[] parts = sealed.split("\\.");
		char flipped = parts[3].charAt(0) == 'A' ? 'B' : 'A';
		parts[3] = flipped + parts[3].substring(1);
		assertThatThrownBy(() -> cipher.open(String.join(".", parts))).isInstanceOf(IllegalStateException.class)
			.hasMessageNotContaining("13800138000");
	}

	@Test
	void rotationSealsUnderTheCurrentKeyAndStillOpensTheOldOnes() {
		JoseDataCipher underA = cipher(pii(Map.of("a", KEY_A), "a"));
		String old = underA.seal("openid-123");
		assertThat(underA.keyIdOf(old)).isEqualTo("a");

		JoseDataCipher underB = cipher(pii(Map.of("a", KEY_A, "b", KEY_B), "b"));
		String fresh = underB.seal("openid-456");
		assertThat(underB.keyIdOf(fresh)).isEqualTo("b");
		assertThat(underB.open(old)).isEqualTo("openid-123");
		assertThat(underB.needsRekey(old)).isTrue();
		assertThat(underB.needsRekey(fresh)).isFalse();
		String resealed = underB.reseal(old);
		assertThat(underB.keyIdOf(resealed)).isEqualTo("b");

		JoseDataCipher onlyB = cipher(pii(Map.of("b", KEY_B), "b"));
		assertThat(onlyB.open(resealed)).isEqualTo("openid-123");
		assertThatThrownBy(() -> onlyB.open(old)).isInstanceOf(DataKeyProvider.UnknownDataKeyException.class)
			.hasMessageContaining("'a'");
		// data sealed under the derived key before explicit keys were configured still opens
		assertThat(onlyB.open(cipher(pii(Map.of(), null)).seal("v"))).isEqualTo("v");
	}

	@Test
	void lookupHashesAreKeyedStableAndSeparatedByPurpose() {
		JoseDataCipher one = cipher(pii(Map.of(), null));
		JoseDataCipher rotated = cipher(pii(Map.of("a", KEY_A, "b", KEY_B), "b"));
		String hash = one.lookupHash("phone", "+8613800138000");
		assertThat(hash).matches("[0-9a-f]{64}");
		assertThat(rotated.lookupHash("phone", "+8613800138000")).as("data-key rotation keeps lookups").isEqualTo(hash);
		assertThat(one.lookupHash("wechat-union", "+8613800138000")).isNotEqualTo(hash);
		assertThat(hash).isNotEqualTo(Digests.sha256Hex("phone\u0000+8613800138000"));
		JoseDataCipher ownKey = new JoseDataCipher(new ConfiguredDataKeyProvider(
				new PiiProperties(Map.of(), null, KEY_A, null, 500), master("m1", MASTER, Map.of())));
		assertThat(ownKey.lookupHash("phone", "+8613800138000")).isNotEqualTo(hash);
	}

	@Test
	void afterAMasterKeyRotationLookupsKeepTheKeyTheyWereDerivedFrom() {
		String newMaster = Base64.getEncoder().encodeToString("another-master-key-32-bytes-long".getBytes());
		JoseDataCipher before = cipher(pii(Map.of(), null));
		JoseDataCipher after = new JoseDataCipher(new ConfiguredDataKeyProvider(new PiiProperties(Map.of(), null, null, "m1", 500),
				master("m2", newMaster, Map.of("m1", MASTER))));
		assertThat(after.lookupHash("phone", "1")).isEqualTo(before.lookupHash("phone", "1"));
		assertThat(after.keyIdOf(after.seal("v"))).isEqualTo("mk-m2");
		assertThat(after.open(before.seal("v"))).isEqualTo("v");
	}

	@Test
	void misconfigurationIsReportedAllAtOnce() {
		assertThatThrownBy(() -> new ConfiguredDataKeyProvider(
				new PiiProperties(Map.of("mk-x", KEY_A, "short", "c2hvcnQ=", "bad", "***"), null, "AAAA", "nope", 500),
				master("m1", MASTER, Map.of())))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("tongxing.pii.data-keys: key id 'mk-x'")
			.hasMessageContaining("tongxing.pii.data-keys.short must be 32 random bytes")
			.hasMessageContaining("tongxing.pii.data-keys.bad is not valid Base64")
			.hasMessageContaining("tongxing.pii.current-key-id is required")
			.hasMessageContaining("tongxing.pii.lookup-hash-key must be at least 32");
		assertThatThrownBy(() -> new ConfiguredDataKeyProvider(pii(Map.of("a", KEY_A), "c"), master("m1", MASTER, Map.of())))
			.hasMessageContaining("tongxing.pii.current-key-id 'c' names no data key");
		assertThatThrownBy(() -> new ConfiguredDataKeyProvider(new PiiProperties(Map.of(), null, null, "old", 500),
				master("m1", MASTER, Map.of())))
			.hasMessageContaining("tongxing.pii.lookup-hash-master-key-id 'old' names no configured master key");
	}

}
