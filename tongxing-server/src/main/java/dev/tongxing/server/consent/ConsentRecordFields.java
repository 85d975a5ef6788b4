package dev.tongxing.server.consent;

import dev.tongxing.server.oidc.OidcProperties;
import java.util.Map;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

/**
 * What ISO/IEC TS 27560 asks every consent record to carry beyond the decision itself: the schema version, the
 * language the person read (the request's), the controller and its contact, where the data is stored, the
 * jurisdiction, how to withdraw, how long the consent holds and who acted.
 */
@Component
class ConsentRecordFields {

	static final String SCHEMA_VERSION = "ISO/IEC TS 27560:2023";

	/** Consent holds until the person withdraws it (or a material policy change asks again). */
	static final String VALIDITY = "until-withdrawn";

	private final PersonalInformationHandler handler;

	private final String withdrawalMethod;

	ConsentRecordFields(PersonalInformationHandler handler, OidcProperties oidc) {
		this.handler = handler;
		this.withdrawalMethod = oidc.issuer() + "/account/consents";
	}

	/** The named parameters of the record's 27560 columns; the person acts for themselves. */
	Map<String, Object> of(String subject) {
		return Map.of("schema", SCHEMA_VERSION, "lang", LocaleContextHolder.getLocale().toLanguageTag(), "cn",
				this.handler.companyOrUnstated(), "cc", this.handler.contactOrUnstated(), "loc",
				this.handler.storageLocation(), "jur", this.handler.jurisdiction(), "wm", this.withdrawalMethod, "val",
				VALIDITY, "actor", "user:" + subject);
	}

}
