package dev.tongxing.server.connector.passkey;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.UserAccount;
import org.jspecify.annotations.Nullable;
import org.springframework.security.web.webauthn.api.Bytes;
import org.springframework.security.web.webauthn.api.ImmutablePublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.management.PublicKeyCredentialUserEntityRepository;

/**
 * WebAuthn's user entity is the account itself: the user handle is the account's internal id (never a phone
 * number or an openid), its name what the account page shows, so nothing is kept for it. The principal name
 * Spring Security asks by is the signed-in account id.
 */
class PasskeyUserEntities implements PublicKeyCredentialUserEntityRepository {

	private final AccountService accounts;

	private final String fallbackName;

	PasskeyUserEntities(AccountService accounts, String fallbackName) {
		this.accounts = accounts;
		this.fallbackName = fallbackName;
	}

	@Override
	public @Nullable PublicKeyCredentialUserEntity findById(Bytes id) {
		String accountId = PasskeyCredentials.accountIdOf(id);
		return this.accounts.find(accountId).map(this::entity).orElse(null);
	}

	@Override
	public @Nullable PublicKeyCredentialUserEntity findByUsername(String username) {
		return this.accounts.find(username).map(this::entity).orElse(null);
	}

	/** Entities are the accounts: nothing to keep. */
	@Override
	public void save(PublicKeyCredentialUserEntity userEntity) {
		throw new IllegalStateException("Passkey user entities are accounts; there is no account " + userEntity.getName());
	}

	@Override
	public void delete(Bytes id) {
	}

	private PublicKeyCredentialUserEntity entity(UserAccount account) {
		// what the person's password manager shows beside the passkey: their name here, else the service's
		String name = account.displayName() != null && !account.displayName().isBlank() ? account.displayName()
				: this.fallbackName;
		return ImmutablePublicKeyCredentialUserEntity.builder()
			.id(PasskeyCredentials.userHandle(account.id()))
			.name(name)
			.displayName(name)
			.build();
	}

}
