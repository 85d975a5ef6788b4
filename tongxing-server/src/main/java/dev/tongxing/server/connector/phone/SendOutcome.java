package dev.tongxing.server.connector.phone;

import dev.tongxing.server.login.LoginFailureCause;
import java.time.Instant;

/** What became of a request for a code. */
public sealed interface SendOutcome {

	/** The code is on its way to {@code phone} (E.164) and works until {@code expiresAt}. */
	record Sent(String phone, Instant expiresAt) implements SendOutcome {
	}

	/**
	 * The person has not given separate consent to the phone-number notice (PIPL Art. 29-30): the number went
	 * nowhere, not even to the send limits.
	 */
	record ConsentMissing() implements SendOutcome {
	}

	/** The input is not a phone number that can receive SMS. */
	record InvalidNumber() implements SendOutcome {
	}

	/** Too many codes for this number or from this address; another may be requested at {@code retryAt}. */
	record Limited(String phone, Instant retryAt) implements SendOutcome {
	}

	/**
	 * The SMS could not be sent (the provider failed, or none is configured); nothing was consumed.
	 *
	 * @param upstreamError how the provider failed, for operators ({@code tencent timeout}, {@code webhook
	 * circuit_open}, …); null when no sender is configured
	 * @param upstreamUnavailable the provider is down, slow or paused rather than refusing the message
	 */
	/** @param cause why, in the login failure taxonomy (null when no provider was asked) */
	record Failed(String phone, String upstreamError, boolean upstreamUnavailable, LoginFailureCause cause)
			implements SendOutcome {

		public Failed(String phone) {
			this(phone, null, false, null);
		}

		public Failed(String phone, String upstreamError, boolean upstreamUnavailable) {
			this(phone, upstreamError, upstreamUnavailable, upstreamUnavailable ? LoginFailureCause.UPSTREAM_UNAVAILABLE
					: LoginFailureCause.OUR_CONFIGURATION);
		}
	}

}
