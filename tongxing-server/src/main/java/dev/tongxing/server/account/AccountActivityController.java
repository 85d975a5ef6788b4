package dev.tongxing.server.account;

import dev.tongxing.server.audit.AuditTrail;
import dev.tongxing.server.audit.AuditTypes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /account/activity}: the person's own sign-in history (time, method, network, success) for the period
 * the policy states, and the browsers signed in to their account, any of which they can sign out (PIPL Art. 45:
 * the right to see what is processed about them). Sessions are named by a digest of their id, never the id.
 */
@Controller
class AccountActivityController {

	private static final int HISTORY_LIMIT = 50;

	/** One time zone for every time on the page (tongxing.display.time-zone), named beside it. */
	private final dev.tongxing.server.kernel.DisplayTime time;

	record SignIn(String at, String methodKey, String method, String network, boolean success) {
	}

	record Browser(String ref, String createdAt, String lastActiveAt, boolean current) {
	}

	private final AuditTrail trail;

	private final SignInMethods methods;

	private final ObjectProvider<FindByIndexNameSessionRepository<? extends Session>> sessions;

	private final Clock clock;

	private final Duration historyPeriod;

	AccountActivityController(AuditTrail trail, SignInMethods methods,
			ObjectProvider<FindByIndexNameSessionRepository<? extends Session>> sessions, Clock clock,
			@Value("${tongxing.account.login-history:P90D}") Duration historyPeriod,
			dev.tongxing.server.kernel.DisplayTime time) {
		this.time = time;
		this.trail = trail;
		this.methods = methods;
		this.sessions = sessions;
		this.clock = clock;
		this.historyPeriod = historyPeriod;
	}

	@GetMapping("/account/activity")
	String activity(Principal principal, HttpServletRequest request, Model model,
			@RequestParam(name = "notice", required = false) String notice) {
		Instant since = this.clock.instant().minus(this.historyPeriod);
		List<SignIn> history = this.trail
			.latest(principal.getName(), List.of(AuditTypes.LOGIN_SUCCEEDED, AuditTypes.LOGIN_FAILED), since, HISTORY_LIMIT)
			.stream()
			.map(entry -> {
				String method = entry.details().get("method") instanceof String m ? m : "";
				return new SignIn(this.time.dateTime(entry.recordedAt()), this.methods.labelKeyOfMethod(method).orElse(null),
						method, entry.details().get("network") instanceof String n ? n : "",
						AuditTypes.LOGIN_SUCCEEDED.equals(entry.type()));
			})
			.toList();
		model.addAttribute("history", history);
		model.addAttribute("historyDays", this.historyPeriod.toDays());
		model.addAttribute("zone", this.time.zoneName());
		model.addAttribute("browsers", browsers(principal, request));
		if ("signed-out".equals(notice) || "others-signed-out".equals(notice)) {
			model.addAttribute("noticeKey", "account.activity.notice." + notice);
		}
		return "account/activity";
	}

	@PostMapping("/account/activity/sign-out")
	String signOut(Principal principal, HttpServletRequest request, @RequestParam(name = "browser") String ref) {
		FindByIndexNameSessionRepository<? extends Session> repository = this.sessions.getIfAvailable();
		if (repository == null) {
			return "redirect:/account/activity";
		}
		String current = currentId(request);
		for (String id : mine(repository, principal).keySet()) {
			if (ref(id).equals(ref) && !id.equals(current)) {
				repository.deleteById(id);
				return "redirect:/account/activity?notice=signed-out";
			}
		}
		return "redirect:/account/activity";
	}

	@PostMapping("/account/activity/sign-out-others")
	String signOutOthers(Principal principal, HttpServletRequest request) {
		FindByIndexNameSessionRepository<? extends Session> repository = this.sessions.getIfAvailable();
		if (repository != null) {
			String current = currentId(request);
			mine(repository, principal).keySet().stream().filter(id -> !id.equals(current)).forEach(repository::deleteById);
		}
		return "redirect:/account/activity?notice=others-signed-out";
	}

	private List<Browser> browsers(Principal principal, HttpServletRequest request) {
		FindByIndexNameSessionRepository<? extends Session> repository = this.sessions.getIfAvailable();
		if (repository == null) {
			return List.of();
		}
		String current = currentId(request);
		return mine(repository, principal).values()
			.stream()
			.sorted(Comparator.comparing(Session::getLastAccessedTime).reversed())
			.map(s -> new Browser(ref(s.getId()), this.time.dateTime(s.getCreationTime()), this.time.dateTime(s.getLastAccessedTime()),
					s.getId().equals(current)))
			.toList();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Session> mine(FindByIndexNameSessionRepository<? extends Session> repository,
			Principal principal) {
		return (Map<String, Session>) repository.findByPrincipalName(principal.getName());
	}

	private static String currentId(HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		return session == null ? null : session.getId();
	}

	/** What the page calls a session: a digest of its id, which cannot be used as one. */
	static String ref(String sessionId) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(sessionId.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest, 0, 12);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
