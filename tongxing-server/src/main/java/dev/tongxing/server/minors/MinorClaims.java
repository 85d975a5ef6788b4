package dev.tongxing.server.minors;

import dev.tongxing.server.oidc.OptInClaims;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The minor marker as claims, under the {@code profile} scope, for clients whose whitelist names them:
 * {@code minor} (true for under-18s) and {@code age_bracket} ({@code under-14}, {@code 14-17}, {@code adult}).
 * Nothing while the person's age is not known.
 */
@Component
class MinorClaims implements OptInClaims {

	static final String MINOR = "minor";

	static final String AGE_BRACKET = "age_bracket";

	private final Minors minors;

	MinorClaims(Minors minors) {
		this.minors = minors;
	}

	@Override
	public Map<String, Object> claims(String userId, Set<String> scopes) {
		if (!scopes.contains("profile") || this.minors.ageCheck() == MinorsProperties.AgeCheck.OFF) {
			return Map.of();
		}
		return this.minors.standing(userId)
			.<Map<String, Object>>map(s -> Map.of(MINOR, s.bracket().minor(), AGE_BRACKET, s.bracket().value()))
			.orElse(Map.of());
	}

}
