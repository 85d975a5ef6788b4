package dev.tongxing.server.consent;

import dev.tongxing.server.account.UserAccount;
import dev.tongxing.server.login.NativeLoginGate;
import dev.tongxing.server.login.PostLoginStep;
import dev.tongxing.server.oidc.OAuth2ErrorWithParameters;
import dev.tongxing.server.oidc.OidcProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.stereotype.Component;

/**
 * The separate consent to the phone number (PIPL Art. 29-30), declared once for every way in.
 * <p>
 * In the browser the pages that collect a number ask it themselves ({@link PhoneNumberConsent}); after a sign-in
 * with the phone this records, first of all the steps after a sign-in, the consent the phone login page asked for
 * before the number was sent (it waited in the session, as nobody was signed in). It shows nothing.
 * <p>
 * Native apps: a token request that would collect the number (a mini program's {@code phone_code}: the connector
 * names {@code phone-number} among the request's data) is refused with {@code consent_required} — before the login
 * code or the phone code goes upstream — unless it carries {@code phone_consent} = the version of the phone-number
 * notice in force, which the app showed ({@code /privacy/notices/phone-number.json}) and the person accepted with
 * an action of its own. The error names the version to show and where to get it. Once the account is known the
 * consent is recorded ({@code native-app}, with the notice's text versions), before the number is fetched.
 * <p>
 * Why a parameter is enough: the client is authenticated, the version ties the request to one exact text, the
 * record is made before the number exists on the gateway, and an app that sends it without asking is making a
 * false statement it is accountable for under its client agreement — as with {@code policy_version}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class PhoneNumberConsentGate implements PostLoginStep, NativeLoginGate {

	static final String PHONE_CONSENT = "phone_consent";

	private final PhoneNumberConsent consent;

	private final String noticeUri;

	PhoneNumberConsentGate(PhoneNumberConsent consent, OidcProperties oidc) {
		this.consent = consent;
		this.noticeUri = oidc.issuer() + "/privacy/notices/" + PhoneNumberConsent.NOTICE_ID + ".json";
	}

	@Override
	public Set<String> parameters() {
		return Set.of(PHONE_CONSENT);
	}

	@Override
	public Consumer<UserAccount> admit(String method, List<String> dataCategories, Map<String, String> parameters) {
		if (!dataCategories.contains(ConsentRecords.Categories.PHONE_NUMBER)) {
			return user -> {
			};
		}
		String version = parameters.get(PHONE_CONSENT);
		String current = this.consent.notice().version();
		if (!current.equals(version)) {
			throw new OAuth2ErrorWithParameters(new OAuth2Error("consent_required", version == null
					? "phone_consent is required with phone_code: show the phone-number notice and send the version the person accepted"
					: "The phone-number notice changed: show the current version and ask again", null),
					Map.of("phone_notice_version", current, "phone_notice_uri", this.noticeUri));
		}
		return user -> this.consent.record(user.id(), ConsentRecords.Method.NATIVE_APP);
	}

	@Override
	public Optional<String> interpose(UserAccount user, String method, String continueUrl, HttpServletRequest request) {
		if ("phone".equals(method)) {
			this.consent.signedIn(user.id(), request);
		}
		return Optional.empty();
	}

	/** After the privacy policy, which frames it. */
	@Override
	public int nativeOrder() {
		return 100;
	}

}
