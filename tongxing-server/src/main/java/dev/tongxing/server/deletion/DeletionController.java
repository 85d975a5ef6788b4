package dev.tongxing.server.deletion;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.UserAccount;
import dev.tongxing.server.events.SecurityEvents;
import dev.tongxing.server.login.PostLoginStep;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.authentication.logout.SecurityContextLogoutHandler;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The person's side of deletion: {@code /account/delete} explains what will happen and asks for an explicit
 * confirmation after a recent sign-in; {@code /account/deletion/pending} is shown after signing in during
 * the cooling-off, to cancel the deletion or keep it.
 */
@Controller
class DeletionController {

	private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

	private final AccountDeletion deletion;

	private final Reauthentication reauthentication;

	private final SecurityEvents events;

	private final RegisteredClientRepository clients;

	private final DeletionProperties properties;

	private final AccountService accounts;

	private final List<PostLoginStep> steps;

	private final RequestCache requestCache = new HttpSessionRequestCache();

	DeletionController(AccountDeletion deletion, Reauthentication reauthentication, SecurityEvents events,
			RegisteredClientRepository clients, DeletionProperties properties, AccountService accounts,
			List<PostLoginStep> steps) {
		this.accounts = accounts;
		this.steps = steps;
		this.deletion = deletion;
		this.reauthentication = reauthentication;
		this.events = events;
		this.clients = clients;
		this.properties = properties;
	}

	@GetMapping("/account/delete")
	String page(Authentication authentication, HttpServletRequest request, HttpServletResponse response,
			Model model) {
		String userId = authentication.getName();
		if (this.deletion.pending(userId).isPresent()) {
			return "redirect:" + PendingDeletionStep.PAGE;
		}
		if (!this.reauthentication.recent(authentication)) {
			// sign in again, then back here (login.SignIn returns to the saved request)
			this.requestCache.saveRequest(request, response);
			return "redirect:/login?reauthenticate";
		}
		DeletionSchedule.Dates dates = this.deletion.preview();
		model.addAttribute("coolingOffDays", this.properties.coolingOff().toDays());
		model.addAttribute("coolingOffHours", this.properties.coolingOff().toHours());
		model.addAttribute("dueAt", format(dates.dueAt()));
		model.addAttribute("deadline", format(dates.deadline().minusMillis(1)));
		model.addAttribute("apps", appNames(userId));
		return "deletion/delete";
	}

	@PostMapping("/account/delete")
	String delete(Authentication authentication, @RequestParam(name = "confirm", required = false) String confirm,
			HttpServletRequest request, HttpServletResponse response, Model model) {
		if (!this.reauthentication.recent(authentication)) {
			return "redirect:/account/delete"; // which sends the person through the login page again
		}
		if (!"yes".equals(confirm)) {
			model.addAttribute("unconfirmed", true);
			return page(authentication, request, response, model);
		}
		DeletionRequest accepted = this.deletion.request(authentication.getName());
		// the request ended every session in the database; this one ends for the browser too
		new SecurityContextLogoutHandler().logout(request, response, authentication);
		model.addAttribute("dueAt", format(accepted.dueAt()));
		model.addAttribute("deadline", format(accepted.deadline().minusMillis(1)));
		return "deletion/requested";
	}

	@GetMapping(PendingDeletionStep.PAGE)
	String pending(Authentication authentication, Model model) {
		Optional<DeletionRequest> pending = this.deletion.pending(authentication.getName());
		if (pending.isEmpty()) {
			return "redirect:/account";
		}
		model.addAttribute("requestedAt", format(pending.get().requestedAt()));
		model.addAttribute("dueAt", format(pending.get().dueAt()));
		return "deletion/pending";
	}

	@PostMapping("/account/deletion/cancel")
	String cancel(Authentication authentication, HttpServletRequest request) {
		this.deletion.cancel(authentication.getName());
		HttpSession session = request.getSession();
		Object waiting = session.getAttribute(PendingDeletionStep.WAITING);
		session.removeAttribute(PendingDeletionStep.WAITING);
		if (!(waiting instanceof PendingDeletionStep.WaitingSignIn signIn)) {
			return "redirect:/account";
		}
		// the sign-in goes on as if there had been no question: the other steps after it (a changed privacy
		// policy to accept, say) still come
		UserAccount user = this.accounts.find(authentication.getName()).orElseThrow();
		for (PostLoginStep step : this.steps) {
			if (!(step instanceof PendingDeletionStep)) {
				Optional<String> page = step.interpose(user, signIn.method(), signIn.continueUrl(), request);
				if (page.isPresent()) {
					return "redirect:" + page.get();
				}
			}
		}
		return "redirect:" + signIn.continueUrl();
	}

	@PostMapping("/account/deletion/keep")
	String keep(Authentication authentication, HttpServletRequest request, HttpServletResponse response,
			Model model) {
		Optional<DeletionRequest> pending = this.deletion.pending(authentication.getName());
		new SecurityContextLogoutHandler().logout(request, response, authentication);
		if (pending.isEmpty()) {
			return "redirect:/login";
		}
		model.addAttribute("dueAt", format(pending.get().dueAt()));
		return "deletion/kept";
	}

	/** The apps that will be told, by name (the ones that ever received the person's data). */
	private List<String> appNames(String userId) {
		return this.events.recipients(userId).stream().sorted().map(clientId -> {
			RegisteredClient client = this.clients.findByClientId(clientId);
			return client == null ? clientId : client.getClientName();
		}).toList();
	}

	private String format(Instant instant) {
		return DATE_TIME.format(instant.atZone(this.properties.calendar().zone())) + " ("
				+ this.properties.calendar().zone() + ")";
	}

}
