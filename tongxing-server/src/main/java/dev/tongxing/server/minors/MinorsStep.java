package dev.tongxing.server.minors;

import dev.tongxing.server.account.UserAccount;
import dev.tongxing.server.login.PostLoginStep;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * After a sign-in, while age checks are on: a person whose age is not known yet is asked (or the verified
 * source is); a child under 14 without a guardian's consent goes to the guardian step and no further; a minor
 * on their way to an adults-only client is told so in plain words and the client hears {@code access_denied}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class MinorsStep implements PostLoginStep {

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
