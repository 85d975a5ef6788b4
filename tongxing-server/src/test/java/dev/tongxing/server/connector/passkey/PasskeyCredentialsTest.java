package dev.tongxing.server.connector.passkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.account.UserAccount;
import dev.tongxing.server.testing.GatewayTest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.web.webauthn.api.AuthenticatorTransport;
import org.springframework.security.web.webauthn.api.Bytes;
import org.springframework.security.web.webauthn.api.CredentialRecord;
import org.springframework.security.web.webauthn.api.ImmutableCredentialRecord;
import org.springframework.security.web.webauthn.api.ImmutablePublicKeyCose;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialType;

/**
 * The passkey table as Spring Security's relying party and the account page use it, and the account's rules
 * around it: a passkey is a way in like any other, the last one stays, and a passkey leaves with its way in.
 */
class PasskeyCredentialsTest extends GatewayTest {

	@Autowired
	PasskeyCredentials credentials;

	@Autowired
	AccountService accounts;

	@Autowired
	PasskeyErasure erasure;

	@Autowired
	PasskeyPersonalData export;

	@Autowired
	JdbcClient jdbc;

	@Test
	void storesWhatTheRelyingPartyNeedsAndSealsTheName() {
		UserAccount user = newPhoneUser();
		Bytes credentialId = Bytes.random();
		this.credentials.save(record(credentialId, user.id(), "Work laptop"));

		CredentialRecord found = this.credentials.findByCredentialId(credentialId);
		assertThat(found).isNotNull();
		assertThat(found.getUserEntityUserId()).isEqualTo(PasskeyCredentials.userHandle(user.id()));
		assertThat(found.getPublicKey().getBytes()).isEqualTo(new byte[] { 1, 2, 3 });
		assertThat(found.getAttestationObject()).isEqualTo(new Bytes(new byte[] { 9, 8, 7 }));
		assertThat(found.getTransports()).containsExactlyInAnyOrder(AuthenticatorTransport.INTERNAL,
				AuthenticatorTransport.HYBRID);
		assertThat(found.getSignatureCount()).isEqualTo(0);
		assertThat(found.getLabel()).isEqualTo("Work laptop");
		assertThat(this.credentials.findByUserId(PasskeyCredentials.userHandle(user.id()))).hasSize(1);
		String sealed = this.jdbc.sql("SELECT label_sealed FROM passkey_credential WHERE credential_id = :c")
			.param("c", credentialId.toBase64UrlString())
			.query(String.class)
			.single();
		assertThat(sealed).doesNotContain("Work laptop");

		// a sign-in saves the same credential again: counter and time of use, nothing else changes
		Instant used = Instant.parse("2026-12-03T10:00:00Z");
		this.credentials.save(ImmutableCredentialRecord.fromCredentialRecord(found).signatureCount(7).lastUsed(used).build());
		CredentialRecord after = this.credentials.findByCredentialId(credentialId);
		assertThat(after.getSignatureCount()).isEqualTo(7);
		assertThat(after.getLastUsed()).isEqualTo(used);
		assertThat(after.getLabel()).isEqualTo("Work laptop");

		String id = this.credentials.idOf(credentialId).orElseThrow();
		this.credentials.rename(id, "Old laptop");
		assertThat(this.credentials.find(id).orElseThrow().label()).isEqualTo("Old laptop");
		this.credentials.delete(credentialId);
		assertThat(this.credentials.findByCredentialId(credentialId)).isNull();
		assertThat(this.credentials.idOf(credentialId)).isEmpty();
	}

	@Test
	void aPasskeyIsAWayInAndTheLastOneStays() {
		UserAccount user = newPhoneUser();
		String passkey = addPasskey(user, "Phone");
		ExternalIdentity.IdentityKey phone = this.accounts.identities(user.id())
			.stream()
			.filter(i -> i.provider().equals("phone"))
			.findFirst()
			.orElseThrow()
			.identityKey();

		// the passkey finds the account
		assertThat(this.accounts.userFor(new ExternalIdentity.IdentityKey(Passkeys.PROVIDER, passkey))).contains(user.id());
		// with a passkey, the phone may go
		this.accounts.unlink(user.id(), List.of(phone));
		// and now the passkey is the last way in
		assertThatThrownBy(() -> this.accounts.unlink(user.id(),
				List.of(new ExternalIdentity.IdentityKey(Passkeys.PROVIDER, passkey))))
			.isInstanceOf(AccountService.LastLoginMethodException.class);
		assertThat(this.credentials.find(passkey)).isPresent();
	}

	@Test
	void aPasskeyWhoseWayInIsRemovedOnTheAccountPageGoesToo() {
		UserAccount user = newPhoneUser();
		String passkey = addPasskey(user, "Tablet");
		String kept = addPasskey(user, "Phone");
		this.accounts.unlink(user.id(), List.of(new ExternalIdentity.IdentityKey(Passkeys.PROVIDER, passkey)));
		assertThat(this.credentials.find(passkey)).isEmpty();
		assertThat(this.credentials.find(kept)).isPresent();
	}

	@Test
	void theExportListsPasskeysWithoutKeyMaterialAndDeletionRemovesThem() {
		UserAccount user = newPhoneUser();
		String passkey = addPasskey(user, "Laptop");
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> listed = (List<Map<String, Object>>) this.export.export(user.id());
		assertThat(listed).hasSize(1);
		assertThat(listed.get(0)).containsEntry("name", "Laptop")
			.containsKeys("addedAt", "lastUsedAt", "transports", "synced")
			.doesNotContainKeys("publicKey", "credentialId", "attestationObject");

		this.erasure.erase(user.id());
		this.accounts.erase(user.id());
		assertThat(this.credentials.find(passkey)).isEmpty();
		assertThat(this.credentials.findByUserId(PasskeyCredentials.userHandle(user.id()))).isEmpty();
	}

	@Test
	void onlyADomainNameCarriesPasskeys() {
		assertThat(RelyingParty.of("http://127.0.0.1:8080")).isEmpty();
		assertThat(RelyingParty.of("http://[::1]:8080")).isEmpty();
		assertThat(RelyingParty.of("https://Login.Example.com")).contains(new RelyingParty("login.example.com",
				"https://login.example.com"));
		assertThat(RelyingParty.of("http://localhost:8080")).contains(new RelyingParty("localhost", "http://localhost:8080"));
	}

	private UserAccount newPhoneUser() {
		String phone = "+8613900" + (100000 + (int) (Math.random() * 899999));
		return this.accounts.signIn(new ExternalIdentity("phone", phone, null));
	}

	private String addPasskey(UserAccount user, String label) {
		Bytes credentialId = Bytes.random();
		this.credentials.save(record(credentialId, user.id(), label));
		String id = this.credentials.idOf(credentialId).orElseThrow();
		this.accounts.link(user.id(), new ExternalIdentity.IdentityKey(Passkeys.PROVIDER, id), Passkeys.METHOD);
		return id;
	}

	private static CredentialRecord record(Bytes credentialId, String accountId, String label) {
		return ImmutableCredentialRecord.builder()
			.credentialType(PublicKeyCredentialType.PUBLIC_KEY)
			.credentialId(credentialId)
			.userEntityUserId(PasskeyCredentials.userHandle(accountId))
			.publicKey(new ImmutablePublicKeyCose(new byte[] { 1, 2, 3 }))
			.signatureCount(0)
			.uvInitialized(true)
			.transports(Set.of(AuthenticatorTransport.INTERNAL, AuthenticatorTransport.HYBRID))
			.backupEligible(true)
			.backupState(false)
			.attestationObject(new Bytes(new byte[] { 9, 8, 7 }))
			.label(label)
			.created(Instant.now())
			.build();
	}

}
