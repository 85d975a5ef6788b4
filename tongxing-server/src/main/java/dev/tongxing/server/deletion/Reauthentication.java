package dev.tongxing.server.deletion;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.stereotype.Component;

/**
 * Whether the person proved who they are recently enough for an irreversible step: the newest
 * authentication factor {@code login.SignIn} recorded must be no older than
 * {@code tongxing.deletion.reauthentication}.
 */
@Component
class Reauthentication {

	private final Clock clock;

	private final DeletionProperties properties;

	Reauthentication(Clock clock, DeletionProperties properties) {
		this.clock = clock;
		this.properties = properties;
	}

	boolean recent(Authentication authentication) {
		return signedInAt(authentication)
			.map(at -> !at.plus(this.properties.reauthentication()).isBefore(this.clock.instant()))
			.orElse(false);
	}

	static Optional<Instant> signedInAt(Authentication authentication) {
		if (authentication == null) {
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
