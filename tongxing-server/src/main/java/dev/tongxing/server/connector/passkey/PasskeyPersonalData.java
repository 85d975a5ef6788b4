package dev.tongxing.server.connector.passkey;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.kernel.PersonalDataSection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** "Download my data": the person's passkeys as they see them, never key material. */
@Component
class PasskeyPersonalData implements PersonalDataSection {

	private final PasskeyCredentials credentials;

	private final AccountService accounts;

	PasskeyPersonalData(PasskeyCredentials credentials, AccountService accounts) {
		this.credentials = credentials;
		this.accounts = accounts;
	}

	@Override
	public String name() {
		return "passkeys";
	}

	@Override
	public Object export(String userId) {
		List<String> ids = this.accounts.identities(userId)
			.stream()
			.filter(identity -> Passkeys.PROVIDER.equals(identity.provider()))
			.map(AccountService.LinkedIdentity::key)
			.toList();
		return this.credentials.list(ids).stream().map(passkey -> {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("name", passkey.label());
			entry.put("addedAt", passkey.createdAt());
			entry.put("lastUsedAt", passkey.lastUsedAt());
			entry.put("transports", passkey.transports().stream().sorted().toList());
			entry.put("synced", passkey.synced());
			return entry;
		}).toList();
	}

}
