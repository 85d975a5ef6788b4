package dev.tongxing.server.connector.passkey;

import com.webauthn4j.converter.AttestationObjectConverter;
import com.webauthn4j.converter.AuthenticatorDataConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.attestation.AttestationObject;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.authenticator.EC2COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A platform authenticator in Java, for tests that speak WebAuthn over plain HTTP: one discoverable ES256 credential
 * with user verification, attestation {@code none}, answering the options the gateway's pages hand to
 * {@code navigator.credentials} in the JSON shapes its script posts back. The bytes are WebAuthn4J's converters',
 * and the signature is the JDK's; the checking is all the gateway's.
 */
final class SoftwareAuthenticator {

	static final JsonMapper JSON_MAPPER = JsonMapper.builder().build();

	private static final ObjectConverter CONVERTER = new ObjectConverter();

	/** User present, user verified. */
	private static final byte PRESENT_AND_VERIFIED = 0x05;

	/** ... with attested credential data. */
	private static final byte PRESENT_VERIFIED_ATTESTED = 0x45;

	private final String origin;

	private final KeyPair keys;

	private final byte[] credentialId = new byte[32];

	private byte[] userHandle;

	private long signCount;

	SoftwareAuthenticator(String origin) {
		this.origin = origin;
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"));
			this.keys = generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
		new SecureRandom().nextBytes(this.credentialId);
	}

	/**
	 * @param publicKey the creation options ({@code publicKey} of {@code /account/passkeys/options})
	 * @return the new credential, as the page's script posts it ({@code credential})
	 */
	Map<String, Object> create(JsonNode publicKey) {
		String rpId = publicKey.get("rp").get("id").asString();
		this.userHandle = decode(publicKey.get("user").get("id").asString());
		byte[] clientData = clientData("webauthn.create", publicKey.get("challenge").asString());
		AttestedCredentialData attested = new AttestedCredentialData(AAGUID.ZERO, this.credentialId,
				EC2COSEKey.create((ECPublicKey) this.keys.getPublic(), COSEAlgorithmIdentifier.ES256));
		AuthenticatorData<com.webauthn4j.data.extension.authenticator.RegistrationExtensionAuthenticatorOutput> data =
				new AuthenticatorData<>(sha256(rpId.getBytes(StandardCharsets.UTF_8)), PRESENT_VERIFIED_ATTESTED, 0,
						attested);
		byte[] attestation = new AttestationObjectConverter(CONVERTER)
			.convertToBytes(new AttestationObject(data, new NoneAttestationStatement()));
		Map<String, Object> response = new LinkedHashMap<>();
		response.put("attestationObject", encode(attestation));
		response.put("clientDataJSON", encode(clientData));
		response.put("transports", java.util.List.of("internal"));
		return credential(response);
	}

	/**
	 * @param publicKey the request options ({@code publicKey} of {@code /login/passkey/options})
	 * @return the assertion, as the page's script posts it ({@code credential})
	 */
	Map<String, Object> get(JsonNode publicKey) {
		String rpId = publicKey.get("rpId").asString();
		byte[] clientData = clientData("webauthn.get", publicKey.get("challenge").asString());
		byte[] authenticatorData = ByteBuffer.allocate(37)
			.put(sha256(rpId.getBytes(StandardCharsets.UTF_8)))
			.put(PRESENT_AND_VERIFIED)
			.putInt((int) ++this.signCount)
			.array();
		byte[] signature;
		try {
			Signature signer = Signature.getInstance("SHA256withECDSA");
			signer.initSign(this.keys.getPrivate());
			signer.update(authenticatorData);
			signer.update(sha256(clientData));
			signature = signer.sign();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
		Map<String, Object> response = new LinkedHashMap<>();
		response.put("authenticatorData", encode(authenticatorData));
		response.put("clientDataJSON", encode(clientData));
		response.put("signature", encode(signature));
		response.put("userHandle", encode(this.userHandle));
		return credential(response);
	}

	static byte[] decode(String base64url) {
		return Base64.getUrlDecoder().decode(base64url);
	}

	static String encode(byte[] bytes) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private Map<String, Object> credential(Map<String, Object> response) {
		Map<String, Object> credential = new LinkedHashMap<>();
		credential.put("id", encode(this.credentialId));
		credential.put("rawId", encode(this.credentialId));
		credential.put("type", "public-key");
		credential.put("response", response);
		credential.put("clientExtensionResults", Map.of());
		credential.put("authenticatorAttachment", "platform");
		return credential;
	}

	private byte[] clientData(String type, String challenge) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("type", type);
		data.put("challenge", challenge);
		data.put("origin", this.origin);
		data.put("crossOrigin", false);
		return JSON_MAPPER.writeValueAsBytes(data);
	}

	private static byte[] sha256(byte[] bytes) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(bytes);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static String json(Object value) {
		return JSON_MAPPER.writeValueAsString(value);
	}

	static JsonNode read(String json) {
		return JSON_MAPPER.readTree(json);
	}

}
