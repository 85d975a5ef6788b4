package dev.tongxing.server.consent;

import dev.tongxing.server.oidc.ClientConsentStep;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationConsentAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationConsentAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Where a third-party consent becomes final. Only a decision that went through the second confirmation
 * (its one-time token, for this client and this authorization request, and no scope beyond what was
 * confirmed) is granted and recorded; a decline, or anything that skipped the confirmation, is refused.
 */
@Component
class ClientConsentDecision implements ClientConsentStep {

	private static final Logger log = LoggerFactory.getLogger(ClientConsentDecision.class);

	private final ConsentRecords records;

	private final PrivacyPolicies policies;

	ClientConsentDecision(ConsentRecords records, PrivacyPolicies policies) {
		this.records = records;
		this.policies = policies;
	}

	@Override
	public void decide(OAuth2AuthorizationConsentAuthenticationContext context) {
		OAuth2AuthorizationConsentAuthenticationToken decision = context.getAuthentication();
		String clientId = context.getRegisteredClient().getClientId();
		String subject = context.getAuthorization().getPrincipalName();
		HttpSession session = currentSession();
		ClientConsentController.Pending pending = session == null ? null
				: (ClientConsentController.Pending) session.getAttribute(ClientConsentController.PENDING);
		if (session != null) {
			session.removeAttribute(ClientConsentController.PENDING); // one confirmation, one use
		}
		Object answer = decision.getAdditionalParameters().get("decision");
		if ("confirm".equals(answer) && confirmed(pending, clientId, decision)) {
			List<ClientConsentItems.Item> items = ClientConsentItems.of(context.getRegisteredClient(), pending.scopes())
				.stream()
				.filter(item -> pending.items().contains(item.id()))
				.toList();
			// the dialog offered the cross-border item only for a client abroad, and would not go on without it
			boolean abroad = pending.items().contains(ClientConsentItems.CROSS_BORDER);
			this.records.record(ConsentRecords.Decision.of(subject, this.policies.current(), ConsentRecords.State.GIVEN)
				.purposes(abroad ? new ConsentRecords.Purpose[] { ConsentRecords.Purpose.LOGIN,
						ConsentRecords.Purpose.THIRD_PARTY_PROVISION, ConsentRecords.Purpose.CROSS_BORDER_TRANSFER }
						: new ConsentRecords.Purpose[] { ConsentRecords.Purpose.LOGIN,
								ConsentRecords.Purpose.THIRD_PARTY_PROVISION })
				.dataCategories(ClientConsentItems.categories(items))
				.recipient(clientId)
				.by(ConsentRecords.Method.DIALOG_CONFIRMED)
				.build());
			return;
		}
		if ("decline".equals(answer)) {
			this.records.record(ConsentRecords.Decision.of(subject, this.policies.current(), ConsentRecords.State.REFUSED)
				.purposes(ConsentRecords.Purpose.THIRD_PARTY_PROVISION)
				.recipient(clientId)
				.by(ConsentRecords.Method.DIALOG)
				.build());
		}
		else {
			log.warn("A consent decision for client {} did not come through the confirmation step: refused", clientId);
		}
		context.getAuthorizationConsent().authorities(Collection::clear);
	}

	private static boolean confirmed(ClientConsentController.Pending pending, String clientId,
			OAuth2AuthorizationConsentAuthenticationToken decision) {
		if (pending == null || !pending.clientId().equals(clientId) || !pending.state().equals(decision.getState())) {
			return false;
		}
		Object token = decision.getAdditionalParameters().get("consent_confirmation");
		if (!(token instanceof String given) || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
				pending.confirmation().getBytes(StandardCharsets.UTF_8))) {
			return false;
		}
		Set<String> allowed = new HashSet<>(pending.scopes());
		allowed.add("openid");
		return allowed.containsAll(decision.getScopes());
	}

	private static HttpSession currentSession() {
		if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
			HttpServletRequest request = attributes.getRequest();
			return request.getSession(false);
		}
		return null;
	}

}
