package dev.tongxing.server.connector.passkey;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.login.PendingLogins;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.webauthn.api.AuthenticatorSelectionCriteria;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialRpEntity;
import org.springframework.security.web.webauthn.api.ResidentKeyRequirement;
import org.springframework.security.web.webauthn.api.UserVerificationRequirement;
import org.springframework.security.web.webauthn.management.Webauthn4JRelyingPartyOperations;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Spring Security's WebAuthn relying party for the issuer's host, over the gateway's own tables. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PasskeyProperties.class)
class PasskeyConfig {

	@Bean
	Passkeys passkeys(@Value("${tongxing.issuer}") String issuer, PasskeyProperties properties,
			PasskeyCredentials credentials, AccountService accounts, PendingLogins pending,
			PlatformTransactionManager transactions) {
		// an issuer on an IP address carries no passkeys (the connector is then disabled); the relying party
		// is still built, on that host, so the context is the same either way
		RelyingParty rp = RelyingParty.of(issuer).orElseGet(() -> new RelyingParty(java.net.URI.create(issuer).getHost(),
				issuer));
		Webauthn4JRelyingPartyOperations operations = new Webauthn4JRelyingPartyOperations(
				new PasskeyUserEntities(accounts, properties.rpName()), credentials,
				PublicKeyCredentialRpEntity.builder().id(rp.id()).name(properties.rpName()).build(),
				java.util.Set.of(rp.origin()));
		// a passkey replaces a code sent to a phone: it must prove the person (PIN, face, fingerprint), not only
		// the device, and be discoverable, so that the login page needs no name first
		operations.setCustomizeCreationOptions(options -> options.authenticatorSelection(AuthenticatorSelectionCriteria
			.builder()
			.userVerification(UserVerificationRequirement.REQUIRED)
			.residentKey(ResidentKeyRequirement.REQUIRED)
			.build()));
		operations.setCustomizeRequestOptions(options -> options.userVerification(UserVerificationRequirement.REQUIRED));
		return new Passkeys(operations, credentials, accounts, pending, new TransactionTemplate(transactions));
	}

}
