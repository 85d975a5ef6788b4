package dev.tongxing.server.login;

import java.time.Instant;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;

/**
 * When the person last signed in interactively: {@link SignIn} records each proof (a login method) as an
 * authentication factor with its time, the same the ID token's {@code auth_time} is taken from.
 */
public final class SignInTimes {

	private SignInTimes() {
	}

	/** @return the newest factor's time, or empty for no sign-in (anonymous, or a token grant's principal) */
	public static Optional<Instant> lastSignIn(Authentication authentication) {
		if (authentication == null || !authentication.isAuthenticated()) {
			return Optional.empty();
		}
		Instant newest = null;
		for (GrantedAuthority authority : authentication.getAuthorities()) {
			if (authority instanceof FactorGrantedAuthority factor && factor.getIssuedAt() != null
					&& (newest == null || factor.getIssuedAt().isAfter(newest))) {
				newest = factor.getIssuedAt();
			}
		}
		return Optional.ofNullable(newest);
	}

}
