package dev.tongxing.server.consent;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tongxing.privacy.handler.*}: the personal-information handler (the company running the gateway, the
 * "PII controller" of ISO/IEC TS 27560), named in every consent record and in the published lists, and where it
 * keeps the data.
 *
 * @param storageLocation where the personal data is stored (a region code, e.g. {@code CN})
 * @param jurisdiction the law the processing falls under (e.g. {@code CN})
 */
@ConfigurationProperties("tongxing.privacy.handler")
public record PersonalInformationHandler(String company, String contact, @DefaultValue("CN") String storageLocation,
		@DefaultValue("CN") String jurisdiction) {

	static final String NOT_STATED = "not stated";

	String companyOrUnstated() {
		return this.company == null || this.company.isBlank() ? NOT_STATED : this.company;
	}

	String contactOrUnstated() {
		return this.contact == null || this.contact.isBlank() ? NOT_STATED : this.contact;
	}

}
