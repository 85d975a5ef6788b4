package dev.tongxing.server.consent;

import dev.tongxing.server.access.AccessRevocation;
import dev.tongxing.server.oidc.UserAuthorizations;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The person's consents, self-service: the privacy policy they accepted and every app they let in.
 * Withdrawing an app's consent takes effect at once: its tokens are revoked (its claims stop flowing), the
 * withdrawal is recorded, and the app must ask again.
 */
@Controller
class ConnectedAppsController {

	private final UserAuthorizations authorizations;

	private final ConsentRecords records;

	private final PrivacyPolicies policies;

	private final AccessRevocation access;

	private final TransactionTemplate tx;

	private final ConsentReceipts receipts;

	ConnectedAppsController(UserAuthorizations authorizations, ConsentRecords records, PrivacyPolicies policies,
			AccessRevocation access, TransactionTemplate tx, ConsentReceipts receipts) {
		this.receipts = receipts;
		this.access = access;
		this.tx = tx;
		this.authorizations = authorizations;
		this.records = records;
		this.policies = policies;
	}

	@GetMapping("/account/consents")
	String page(Principal principal, Model model,
			@RequestParam(name = "withdrawn", required = false) String withdrawn) {
		model.addAttribute("apps", this.authorizations.connected(principal.getName()));
		model.addAttribute("policyVersion", this.records.acceptedPolicyVersion(principal.getName()).orElse(null));
		model.addAttribute("withdrawn", withdrawn);
		model.addAttribute("receipts", this.receipts.list(principal.getName()));
		return "consent/consents";
	}

	@GetMapping("/account/consents/policy/withdraw")
	String policyWithdrawalPage(Principal principal, Model model) {
		model.addAttribute("policyVersion", this.records.acceptedPolicyVersion(principal.getName()).orElse(null));
		model.addAttribute("apps", this.authorizations.connected(principal.getName()));
		return "consent/withdraw-policy";
	}

	/**
	 * Withdrawing consent to the privacy policy itself (PIPL Art. 15): processing stops at once — every app's
	 * tokens are revoked and every session ends — and the account waits, untouched, until the person agrees
	 * again at the next sign-in or deletes it.
	 */
	@PostMapping("/account/consents/policy/withdraw")
	String withdrawPolicy(Principal principal, HttpServletRequest request) {
		String user = principal.getName();
		// one transaction: the record, the revocations and the apps' notices (outbox) stand or fall together
		this.tx.executeWithoutResult(status -> {
			this.records.record(ConsentRecords.Decision.policy(user, this.policies.current(),
					ConsentRecords.State.WITHDRAWN,
					List.of(ConsentRecords.Categories.LOGIN_IDENTIFIERS, ConsentRecords.Categories.PROFILE),
					ConsentRecords.Method.SELF_SERVICE));
			this.access.endAll(user, AccessRevocation.Notice.SESSION_REVOKED, request);
		});
		return "redirect:/login?error=consent.policy-withdrawn";
	}

	@PostMapping("/account/consents/withdraw")
	String withdraw(Principal principal, @RequestParam String client) {
		String user = principal.getName();
		if (this.authorizations.connected(user).stream().noneMatch(app -> app.clientId().equals(client))) {
			return "redirect:/account/consents";
		}
		this.tx.executeWithoutResult(status -> {
			this.access.endForClient(user, client);
			// the withdrawal covers what was consented to: the latest consent given to this app, if one was recorded
			List<String> categories = this.records.history(user)
				.stream()
				.filter(d -> client.equals(d.recipientClient()) && d.state() == ConsentRecords.State.GIVEN)
				.reduce((earlier, later) -> later)
				.map(ConsentRecords.StoredDecision::dataCategories)
				.orElse(List.of(ConsentRecords.Categories.SUBJECT_IDENTIFIER));
			this.records.record(ConsentRecords.Decision.of(user, this.policies.current(), ConsentRecords.State.WITHDRAWN)
				.purposes(ConsentRecords.Purpose.LOGIN, ConsentRecords.Purpose.THIRD_PARTY_PROVISION)
				.dataCategories(categories)
				.recipient(client)
				.by(ConsentRecords.Method.SELF_SERVICE)
				.build());
		});
		return "redirect:/account/consents?withdrawn=" + client;
	}

}
