package dev.tongxing.server.connector.phone.carrier;

import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.kernel.MobileNumbers;
import dev.tongxing.server.login.LoginFailureCause;
import dev.tongxing.server.login.LoginMethod;
import dev.tongxing.server.login.spi.ConnectorFailure;
import dev.tongxing.server.login.spi.FailureAdvice;
import dev.tongxing.server.login.spi.IdentityNamespaces;
import dev.tongxing.server.login.spi.NativeConnector;
import dev.tongxing.server.login.spi.NativeLoginException;
import dev.tongxing.server.login.spi.Probe;
import dev.tongxing.server.login.spi.UpstreamError;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One-tap carrier login (运营商一键登录) for native apps: the token the carrier SDK gave the app, exchanged at
 * {@code /oauth2/token} ({@code subject_token_type} {@value #SUBJECT_TOKEN_TYPE}), becomes the device's own
 * number through the number-verification service, and the person signs in to the account of that number —
 * the same account an SMS code or a mini program's phone number reaches (identity namespace {@code phone},
 * shown on the account page as the phone number). Collecting the number needs the separate phone-number
 * consent first ({@code phone_consent}), like every other path to a number.
 */
class CarrierLoginConnector implements NativeConnector {

	static final String METHOD = "carrier";

	static final String SUBJECT_TOKEN_TYPE = "urn:tongxing:token-type:carrier-token";

	/** The phone connector's namespace: a number proven by the carrier is the same number as by SMS. */
	static final String PHONE = "phone";

	private static final int MAX_TOKEN = 4096;

	private final CarrierLoginProperties properties;

	private final NumberVerification service;

	private final MobileNumbers numbers;

	CarrierLoginConnector(CarrierLoginProperties properties, NumberVerification service, MobileNumbers numbers) {
		this.properties = properties;
		this.service = service;
		this.numbers = numbers;
	}

	@Override
	public String id() {
		return METHOD;
	}

	@Override
	public boolean enabled() {
		return this.properties.enabled();
	}

	@Override
	public Labels labels() {
		return new Labels("login.method.carrier", "account.method.phone", null, null, 300);
	}

	/** Native only: the carrier SDK runs in the app, so the login page offers nothing. */
	@Override
	public List<LoginMethod> loginMethods() {
		return List.of();
	}

	/** Its logins land in the phone namespace, which the phone connector owns and shows. */
	@Override
	public IdentityNamespaces identities() {
		return new IdentityNamespaces(Set.of(), false, key -> "");
	}

	@Override
	public FailureAdvice failureAdvice() {
		return new FailureAdvice(Map.of(
				"isv.TOKEN_INVALID", new FailureAdvice.Advice(LoginFailureCause.CODE_EXPIRED_OR_REUSED, "ops.carrier.token"),
				"isv.INVALID_PARAMETERS", new FailureAdvice.Advice(LoginFailureCause.CODE_EXPIRED_OR_REUSED, "ops.carrier.token"),
				"InvalidAccessKeyId.NotFound", new FailureAdvice.Advice(LoginFailureCause.APP_CREDENTIALS_INVALID, "ops.carrier.credentials"),
				"SignatureDoesNotMatch", new FailureAdvice.Advice(LoginFailureCause.APP_CREDENTIALS_INVALID, "ops.carrier.credentials"),
				"Forbidden.RAM", new FailureAdvice.Advice(LoginFailureCause.APP_NOT_AUTHORISED, "ops.carrier.permission"),
				"isv.AMOUNT_NOT_ENOUGH", new FailureAdvice.Advice(LoginFailureCause.UPSTREAM_RATE_LIMITED, "ops.carrier.balance")));
	}

	@Override
	public List<Probe> probes() {
		return enabled() ? List.of(new Probe("carrier:" + this.service.name(), METHOD, this.service::probe)) : List.of();
	}

	@Override
	public List<String> configurationProblems() {
		return this.properties.problems();
	}

	@Override
	public String subjectTokenType() {
		return SUBJECT_TOKEN_TYPE;
	}

	@Override
	public String displayName() {
		return "Carrier one-tap login";
	}

	@Override
	public List<String> dataCategories() {
		return List.of("phone-number");
	}

	@Override
	public String app(Map<String, String> parameters) {
		if (!enabled()) {
			throw new NativeLoginException("unsupported_token_type", "carrier one-tap login is not enabled");
		}
		return this.service.name();
	}

	@Override
	public ExternalIdentity identify(String token, Map<String, String> parameters) {
		if (token.length() > MAX_TOKEN) {
			throw new ConnectorFailure(LoginFailureCause.CODE_EXPIRED_OR_REUSED, new UpstreamError("GetMobile", "too_long"),
					"the carrier token is longer than any the service issues", null);
		}
		String mobile;
		try {
			mobile = this.service.mobile(token);
		}
		catch (NumberVerificationException ex) {
			throw new ConnectorFailure(ex.failureCause(), new UpstreamError("GetMobile", ex.code()), ex.getMessage(), ex);
		}
		String e164 = this.numbers.toE164(mobile)
			.orElseThrow(() -> new ConnectorFailure(LoginFailureCause.UPSTREAM_UNAVAILABLE,
					new UpstreamError("GetMobile", "not_a_mobile_number"),
					"the number-verification service answered something that is not a mobile number", null));
		return new ExternalIdentity(METHOD, List.of(new IdentityKey(PHONE, e164)),
				new ExternalIdentity.Profile(null, null, e164));
	}

}
