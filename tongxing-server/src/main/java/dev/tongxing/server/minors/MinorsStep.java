package dev.tongxing.server.minors;

import dev.tongxing.server.account.UserAccount;
import dev.tongxing.server.login.NativeLoginGate;
import dev.tongxing.server.login.PostLoginStep;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * After a sign-in, while age checks are on: a person whose age is not known yet is asked (or the verified
 * source is); a child under 14 without a guardian's consent goes to the guardian step and no further; a minor
 * on their way to an adults-only client is told so in plain words and the client hears {@code access_denied}.
 * A native app asks the person itself and sends {@value #AGE_BRACKET} with every sign-in while ages are
 * self-declared: checked before the code goes upstream (the account, and whether its age is known, is not known
 * until after), so a missing answer burns no code; the first answer is kept, as in the browser.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class MinorsStep implements PostLoginStep, NativeLoginGate {

	/** The token-exchange parameter of a native app's answer: {@code under-14}, {@code 14-17} or {@code adult}. */
	static final String AGE_BRACKET = "age_bracket";

	static final String CONTINUE = "tongxing.minors.continue";

	static final String AGE_PAGE = "/account/age";

	static final String GUARDIAN_PAGE = "/account/guardian";

	static final String ADULTS_ONLY_PAGE = "/account/adults-only";

	private final Minors minors;

	private final MinorClientSettings clients;

	MinorsStep(Minors minors, MinorClientSettings clients) {
		this.minors = minors;
		this.clients = clients;
	}

	@Override
	public Optional<String> interpose(UserAccount user, String method, String continueUrl, HttpServletRequest request) {
		if (this.minors.ageCheck() == MinorsProperties.AgeCheck.OFF) {
			return Optional.empty();
		}
		request.getSession().setAttribute(CONTINUE, continueUrl);
		return next(user.id(), continueUrl);
	}

	@Override
	public Set<String> parameters() {
		return Set.of(AGE_BRACKET);
	}

	@Override
	public Consumer<UserAccount> admit(String method, List<String> dataCategories, Map<String, String> parameters) {
		return switch (this.minors.ageCheck()) {
			case OFF -> user -> {
			};
			// the source answers for an account of unknown age; the token guard then applies the answer
			case VERIFIED -> user -> {
				if (this.minors.standing(user.id()).isEmpty()) {
					this.minors.verify(user.id());
				}
			};
			case SELF_DECLARED -> {
				String answer = parameters.get(AGE_BRACKET);
				if (answer == null) {
					throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST,
							"age_bracket is required: ask the person's age bracket (under-14, 14-17 or adult) and send "
									+ "it with the sign-in; the first answer is kept",
							null));
				}
				AgeBracket bracket = AgeBracket.of(answer)
					.orElseThrow(() -> new OAuth2AuthenticationException(new OAuth2Error(
							OAuth2ErrorCodes.INVALID_REQUEST, "age_bracket must be under-14, 14-17 or adult", null)));
				yield user -> this.minors.declare(user.id(), bracket);
			}
		};
	}

	/** After the privacy policy and the phone number's consent, which come first in the app's dialog. */
	@Override
	public int nativeOrder() {
		return 200;
	}

	/** Where the person must go before {@code continueUrl}, if anywhere. */
	Optional<String> next(String userId, String continueUrl) {
		Optional<Minors.Standing> standing = this.minors.standing(userId);
		if (standing.isEmpty() && this.minors.ageCheck() == MinorsProperties.AgeCheck.VERIFIED) {
			this.minors.verify(userId);
			standing = this.minors.standing(userId);
		}
		if (standing.isEmpty()) {
			return Optional.of(AGE_PAGE);
		}
		if (standing.get().waitingForGuardian()) {
			return Optional.of(GUARDIAN_PAGE);
		}
		String client = clientOf(continueUrl);
		if (client != null && this.clients.adultsOnly(client) && standing.get().bracket().minor()) {
			return Optional.of(ADULTS_ONLY_PAGE);
		}
		return Optional.empty();
	}

	static String clientOf(String continueUrl) {
		if (continueUrl == null) {
			return null;
		}
		try {
			return UriComponentsBuilder.fromUriString(continueUrl).build().getQueryParams().getFirst("client_id");
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
