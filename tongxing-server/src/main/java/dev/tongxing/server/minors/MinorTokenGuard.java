package dev.tongxing.server.minors;

import dev.tongxing.server.oidc.UserTokenGuard;
import java.util.Optional;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.stereotype.Component;

/**
 * No tokens, by any grant, for a child under 14 whose guardian has not consented, nor for a minor or a person of
 * unknown age at an adults-only client: {@code access_denied}.
 */
@Component
class MinorTokenGuard implements UserTokenGuard {

	private final Minors minors;

	private final MinorClientSettings clients;

	MinorTokenGuard(Minors minors, MinorClientSettings clients) {
		this.minors = minors;
		this.clients = clients;
	}

	@Override
	public void check(String userId, String clientId) {
		if (this.minors.ageCheck() == MinorsProperties.AgeCheck.OFF) {
			return;
		}
		Optional<Minors.Standing> standing = this.minors.standing(userId);
		if (standing.isPresent() && standing.get().waitingForGuardian()) {
			throw denied("The person is under 14 and their guardian has not consented yet");
		}
		if (this.clients.adultsOnly(clientId) && (standing.isEmpty() || standing.get().bracket().minor())) {
			throw denied("This client serves adults only");
		}
	}

	private static OAuth2AuthenticationException denied(String description) {
		return new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.ACCESS_DENIED, description, null));
	}

}
