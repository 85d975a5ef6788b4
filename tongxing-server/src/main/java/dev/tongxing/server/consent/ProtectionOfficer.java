package dev.tongxing.server.consent;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code tongxing.privacy.officer.*}: the personal-information protection officer (PIPL Art. 52), named in the
 * privacy policy page and the published lists so that people know whom to contact.
 *
 * @param name the officer's name (or role)
 * @param contact how to reach them: an e-mail address, a phone number or a postal address
 */
@ConfigurationProperties("tongxing.privacy.officer")
public record ProtectionOfficer(String name, String contact) {

	/** Whether an officer has been configured; pages say so when not. */
	public boolean named() {
		return this.name != null && !this.name.isBlank() && this.contact != null && !this.contact.isBlank();
	}

}
