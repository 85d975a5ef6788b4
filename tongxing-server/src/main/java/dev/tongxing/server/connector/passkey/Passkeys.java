package dev.tongxing.server.connector.passkey;

import com.webauthn4j.verifier.exception.BadChallengeException;
import com.webauthn4j.verifier.exception.BadOriginException;
import com.webauthn4j.verifier.exception.BadRpIdException;
import com.webauthn4j.verifier.exception.BadSignatureException;
import com.webauthn4j.verifier.exception.CrossOriginException;
import com.webauthn4j.verifier.exception.MaliciousCounterValueException;
import com.webauthn4j.verifier.exception.UserNotPresentException;
import com.webauthn4j.verifier.exception.UserNotVerifiedException;
import com.webauthn4j.verifier.exception.VerificationException;
import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.login.LoginFailureCause;
import dev.tongxing.server.login.PendingLogins;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.webauthn.api.AuthenticatorAssertionResponse;
import org.springframework.security.web.webauthn.api.Bytes;
import org.springframework.security.web.webauthn.api.CredentialRecord;
import org.springframework.security.web.webauthn.api.PublicKeyCredential;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialCreationOptions;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialRequestOptions;
import org.springframework.security.web.webauthn.jackson.WebauthnJacksonModule;
import org.springframework.security.web.webauthn.management.ImmutablePublicKeyCredentialCreationOptionsRequest;
import org.springframework.security.web.webauthn.management.ImmutablePublicKeyCredentialRequestOptionsRequest;
import org.springframework.security.web.webauthn.management.ImmutableRelyingPartyRegistrationRequest;
import org.springframework.security.web.webauthn.management.RelyingPartyAuthenticationRequest;
import org.springframework.security.web.webauthn.management.RelyingPartyPublicKey;
import org.springframework.security.web.webauthn.management.WebAuthnRelyingPartyOperations;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two WebAuthn ceremonies, verified by Spring Security's relying party (WebAuthn4J underneath): adding a
 * passkey to the signed-in account, and signing in with one. Each ceremony's challenge waits in
 * {@link PendingLogins} (any node, this browser only, used once, ten minutes), not in the session.
 */
class Passkeys {

	static final String METHOD = "passkey";

	/** The identity namespace of passkeys: ({@code passkey}, the credential row's id). */
	static final String PROVIDER = "passkey";

	private static final String ADDING = "passkey-add";

	/** The longest name a person may give a passkey. */
	static final int MAX_LABEL = 60;

	private final WebAuthnRelyingPartyOperations relyingParty;

	private final PasskeyCredentials credentials;

	private final AccountService accounts;

	private final PendingLogins pending;

	private final TransactionTemplate tx;

	private final JsonMapper json = JsonMapper.builder().addModule(new WebauthnJacksonModule()).build();

	private final JavaType assertionType = this.json.getTypeFactory()
		.constructParametricType(PublicKeyCredential.class, AuthenticatorAssertionResponse.class);

	Passkeys(WebAuthnRelyingPartyOperations relyingParty, PasskeyCredentials credentials, AccountService accounts,
			PendingLogins pending, TransactionTemplate tx) {
		this.relyingParty = relyingParty;
		this.credentials = credentials;
		this.accounts = accounts;
		this.pending = pending;
		this.tx = tx;
	}

	/** @return {@code {state, publicKey}}: what the browser hands to {@code navigator.credentials.create} */
	String beginAdding(Authentication person, HttpServletRequest request) {
		PublicKeyCredentialCreationOptions options = this.relyingParty
			.createPublicKeyCredentialCreationOptions(new ImmutablePublicKeyCredentialCreationOptionsRequest(person));
		String state = this.pending.begin(ADDING, null,
				Map.of("challenge", options.getChallenge().toBase64UrlString(), "account", person.getName()), request);
		return this.json.writeValueAsString(Map.of("state", state, "publicKey", options));
	}

	/**
	 * Verifies the new credential and makes it a way in to the account, in one transaction.
	 * @param body {@code {state, label, credential}} from the browser
	 * @return the passkey's id
	 */
	String finishAdding(Authentication person, String body, String defaultLabel, HttpServletRequest request) {
		JsonNode tree = read(body);
		String given = text(tree, "label");
		String label = given == null || given.isBlank() ? defaultLabel : given.strip();
		if (label.length() > MAX_LABEL) {
			throw new PasskeyFailure(LoginFailureCause.USER_INPUT, "malformed", "passkey.error.label", null);
		}
		PendingLogins.PendingLogin waiting = this.pending.take(text(tree, "state"), ADDING, request)
			.filter(p -> person.getName().equals(p.attributes().get("account")))
			.orElseThrow(() -> new PasskeyFailure(LoginFailureCause.STATE_INVALID, "state-invalid",
					"passkey.error.expired", null));
		PublicKeyCredentialCreationOptions fresh = this.relyingParty
			.createPublicKeyCredentialCreationOptions(new ImmutablePublicKeyCredentialCreationOptionsRequest(person));
		PublicKeyCredentialCreationOptions asked = PublicKeyCredentialCreationOptions.builder()
			.rp(fresh.getRp())
			.user(fresh.getUser())
			.challenge(Bytes.fromBase64(waiting.attributes().get("challenge")))
			.pubKeyCredParams(fresh.getPubKeyCredParams())
			.timeout(fresh.getTimeout())
			.excludeCredentials(fresh.getExcludeCredentials())
			.authenticatorSelection(fresh.getAuthenticatorSelection())
			.attestation(fresh.getAttestation())
			.extensions(fresh.getExtensions())
			.build();
		Map<String, Object> publicKey = new LinkedHashMap<>();
		publicKey.put("credential", tree.get("credential"));
		publicKey.put("label", label);
		RelyingPartyPublicKey key;
		try {
			key = this.json.convertValue(publicKey, RelyingPartyPublicKey.class);
		}
		catch (RuntimeException malformed) {
			throw failure(malformed);
		}
		return this.tx.execute(status -> {
			CredentialRecord record;
			try {
				record = this.relyingParty.registerCredential(new ImmutableRelyingPartyRegistrationRequest(asked, key));
			}
			catch (RuntimeException refused) {
				throw failure(refused);
			}
			String id = this.credentials.idOf(record.getCredentialId()).orElseThrow();
			this.accounts.link(person.getName(), new ExternalIdentity.IdentityKey(PROVIDER, id), METHOD);
			return id;
		});
	}

	/** @return {@code {state, publicKey}}: what the browser hands to {@code navigator.credentials.get} */
	String beginSignIn(HttpServletRequest request) {
		PublicKeyCredentialRequestOptions options = requestOptions(null);
		String state = this.pending.begin(METHOD, null, Map.of("challenge", options.getChallenge().toBase64UrlString()),
				request);
		return this.json.writeValueAsString(Map.of("state", state, "publicKey", options));
	}

	/**
	 * Verifies an assertion against the challenge this browser was given, and names the way in it proves.
	 * @param body {@code {state, credential}} from the browser
	 * @throws PasskeyFailure when it proves nothing
	 */
	ExternalIdentity finishSignIn(String body, HttpServletRequest request) {
		JsonNode tree = read(body);
		PendingLogins.PendingLogin waiting = this.pending.take(text(tree, "state"), METHOD, request)
			.orElseThrow(() -> new PasskeyFailure(LoginFailureCause.STATE_INVALID, "state-invalid",
					"passkey.error.expired", null));
		PublicKeyCredential<AuthenticatorAssertionResponse> assertion;
		try {
			assertion = this.json.readerFor(this.assertionType).readValue(tree.get("credential"));
		}
		catch (RuntimeException malformed) {
			throw failure(malformed);
		}
		if (assertion == null || assertion.getRawId() == null) {
			throw failure(new IllegalArgumentException("no credential"));
		}
		Optional<String> id = this.credentials.idOf(assertion.getRawId());
		// a credential removed here (or never added) proves nothing, whatever the authenticator still holds
		if (id.isEmpty()) {
			throw unknown();
		}
		PublicKeyCredentialRequestOptions fresh = requestOptions(null);
		PublicKeyCredentialRequestOptions asked = PublicKeyCredentialRequestOptions.builder()
			.challenge(Bytes.fromBase64(waiting.attributes().get("challenge")))
			.rpId(fresh.getRpId())
			.timeout(fresh.getTimeout())
			.allowCredentials(fresh.getAllowCredentials())
			.userVerification(fresh.getUserVerification())
			.extensions(fresh.getExtensions())
			.build();
		String userHandle;
		try {
			userHandle = PasskeyCredentials
				.accountIdOf(this.relyingParty.authenticate(new RelyingPartyAuthenticationRequest(asked, assertion)).getId());
		}
		catch (RuntimeException refused) {
			throw failure(refused);
		}
		ExternalIdentity.IdentityKey way = new ExternalIdentity.IdentityKey(PROVIDER, id.get());
		// the way in decides the account (it follows merges); the user handle must be that account or one merged into it
		String owner = this.accounts.userFor(way).orElseThrow(Passkeys::unknown);
		if (!this.accounts.withMergedAccounts(owner).contains(userHandle)) {
			throw unknown();
		}
		return new ExternalIdentity(METHOD, java.util.List.of(way), ExternalIdentity.Profile.EMPTY);
	}

	private PublicKeyCredentialRequestOptions requestOptions(Authentication person) {
		// discoverable credentials only: the page does not know who is signing in
		return this.relyingParty.createCredentialRequestOptions(new ImmutablePublicKeyCredentialRequestOptionsRequest(person));
	}

	private JsonNode read(String body) {
		try {
			JsonNode tree = this.json.readTree(body == null ? "" : body);
			if (tree == null || !tree.isObject()) {
				throw new IllegalArgumentException("not a JSON object");
			}
			return tree;
		}
		catch (RuntimeException malformed) {
			throw failure(malformed);
		}
	}

	private static String text(JsonNode tree, String field) {
		JsonNode value = tree.get(field);
		return value == null || !value.isString() ? null : value.asString();
	}

	private static PasskeyFailure unknown() {
		return new PasskeyFailure(LoginFailureCause.USER_INPUT, "unknown-credential", "passkey.error.unknown", null);
	}

	/** WebAuthn4J's reasons, as the shared causes and the codes operators are advised on. */
	static PasskeyFailure failure(Throwable reason) {
		if (reason instanceof PasskeyFailure known) {
			return known;
		}
		if (reason instanceof BadOriginException || reason instanceof CrossOriginException) {
			return new PasskeyFailure(LoginFailureCause.RISK_CONTROL, "bad-origin", "passkey.error.refused", reason);
		}
		if (reason instanceof BadRpIdException) {
			return new PasskeyFailure(LoginFailureCause.OUR_CONFIGURATION, "bad-rp-id", "passkey.error.refused", reason);
		}
		if (reason instanceof BadChallengeException) {
			return new PasskeyFailure(LoginFailureCause.STATE_INVALID, "bad-challenge", "passkey.error.expired", reason);
		}
		if (reason instanceof BadSignatureException) {
			return new PasskeyFailure(LoginFailureCause.RISK_CONTROL, "bad-signature", "passkey.error.refused", reason);
		}
		if (reason instanceof MaliciousCounterValueException) {
			return new PasskeyFailure(LoginFailureCause.RISK_CONTROL, "counter-regressed", "passkey.error.refused",
					reason);
		}
		if (reason instanceof UserNotVerifiedException || reason instanceof UserNotPresentException) {
			return new PasskeyFailure(LoginFailureCause.USER_INPUT, "user-not-verified", "passkey.error.not-verified",
					reason);
		}
		if (reason instanceof VerificationException) {
			return new PasskeyFailure(LoginFailureCause.RISK_CONTROL, "verification-failed", "passkey.error.refused",
					reason);
		}
		if (reason instanceof IllegalArgumentException && String.valueOf(reason.getMessage()).contains("already exists")) {
			return new PasskeyFailure(LoginFailureCause.USER_INPUT, "already-added", "passkey.error.already-added", reason);
		}
		return new PasskeyFailure(LoginFailureCause.USER_INPUT, "malformed", "passkey.error.refused", reason);
	}

}
