package dev.tongxing.server.console;

import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.lockout.FailedPasswords;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The console's own pages around a sign-in: the sign-in page (a link to the gateway's login), the second factor
 * (enrolment with the secret shown once, or a code), the refusal of someone who is not an operator, a page an
 * operator's roles do not allow, and the signed-out page. Wrong codes are throttled like passwords
 * ({@link FailedPasswords.Kind#SECOND_FACTOR}, per account and per address) and audited.
 */
@Controller
class SecondFactorController {

	static final String SIGN_IN = "/admin/sign-in";

	static final String SECOND_FACTOR = "/admin/second-factor";

	static final String REFUSED = "/admin/refused";

	static final String FORBIDDEN = "/admin/forbidden";

	static final String SIGN_OUT = "/admin/sign-out";

	static final String SIGNED_OUT = "/admin/signed-out";

	/** Set on a request whose console sign-in just ended for inactivity (the sign-in page says so). */
	static final String EXPIRED = "tongxing.console.expired";

	/** While enrolling: the new secret, shown again until it is confirmed (never after). */
	static final String ENROLMENT_SECRET = "tongxing.console.enrolment.secret";

	static final String ENROLMENT_URI = "tongxing.console.enrolment.uri";

	private final OperatorSecondFactor secondFactor;

	private final Operators operators;

	private final ConsoleSessions sessions;

	private final FailedPasswords failures;

	private final AuditLog audit;

	private final ConsoleProperties properties;

	SecondFactorController(OperatorSecondFactor secondFactor, Operators operators, ConsoleSessions sessions,
			FailedPasswords failures, AuditLog audit, ConsoleProperties properties) {
		this.secondFactor = secondFactor;
		this.operators = operators;
		this.sessions = sessions;
		this.failures = failures;
		this.audit = audit;
		this.properties = properties;
	}

	/** Also what a console page answers (401) to someone not signed in to the console. */
	@RequestMapping(SIGN_IN)
	String signIn(HttpServletRequest request, HttpServletResponse response, Model model) {
		if (request.getAttribute(RequestDispatcher.FORWARD_REQUEST_URI) != null) {
			response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
		}
		model.addAttribute("start", ConsoleSecurityConfig.AUTHORIZATION + "/" + ConsoleSecurityConfig.CLIENT_ID);
		model.addAttribute("failed", request.getParameter("failed") != null);
		model.addAttribute("expired", request.getAttribute(EXPIRED) != null);
		model.addAttribute("idleMinutes", Math.max(1, this.properties.idleTimeout().toMinutes()));
		return "console/sign-in";
	}

	@GetMapping(SECOND_FACTOR)
	String secondFactor(Authentication signedIn, HttpSession session, Model model) {
		return show(signedIn.getName(), session, model, null);
	}

	@PostMapping(SECOND_FACTOR)
	String verify(@RequestParam(required = false) String code, Authentication signedIn, HttpServletRequest request,
			HttpServletResponse response, Model model) {
		String accountId = signedIn.getName();
		String address = request.getRemoteAddr();
		boolean enrolled = this.secondFactor.enrolled(accountId);
		String step = enrolled ? "sign-in" : "enrol";
		FailedPasswords.Standing standing = this.failures.standing(FailedPasswords.Kind.SECOND_FACTOR, accountId, address);
		if (standing.lockedOut()) {
			// refused unchecked, like a locked-out password
			failed(accountId, step, true);
			response.setStatus(429);
			return show(accountId, request.getSession(), model, "console.second-factor.error.locked");
		}
		boolean right = enrolled ? this.secondFactor.verify(accountId, code)
				: this.secondFactor.confirm(accountId, code, "admin:" + accountId);
		if (!right) {
			this.failures.failed(FailedPasswords.Kind.SECOND_FACTOR, accountId, address);
			failed(accountId, step, false);
			response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
			return show(accountId, request.getSession(), model, "console.second-factor.error.wrong");
		}
		if (standing.nameHasFailures()) {
			this.failures.succeeded(FailedPasswords.Kind.SECOND_FACTOR, accountId);
		}
		request.getSession().removeAttribute(ENROLMENT_SECRET);
		request.getSession().removeAttribute(ENROLMENT_URI);
		Set<OperatorRole> roles = this.operators.roles(accountId);
		if (roles.isEmpty()) { // taken away while the code was typed
			this.sessions.end(request, null, "refused");
			return "redirect:" + REFUSED;
		}
		String target = this.sessions.returnTo(request, response);
		this.sessions.signIn(accountId, roles, !enrolled, request, response);
		return "redirect:" + target;
	}

	private void failed(String accountId, String step, boolean locked) {
		this.audit.record(AuditEntry.of(ConsoleSessions.SECOND_FACTOR_FAILED)
			.actor("admin:" + accountId)
			.subject(accountId)
			.detail("step", step)
			.detail("locked", Boolean.toString(locked)));
	}

	private String show(String accountId, HttpSession session, Model model, String error) {
		boolean enrolled = this.secondFactor.enrolled(accountId);
		model.addAttribute("enrolled", enrolled);
		if (!enrolled) {
			if (!(session.getAttribute(ENROLMENT_SECRET) instanceof String)) {
				OperatorSecondFactor.Enrolment enrolment = this.secondFactor.enrol(accountId, accountId);
				session.setAttribute(ENROLMENT_SECRET, enrolment.secret());
				session.setAttribute(ENROLMENT_URI, enrolment.uri());
			}
			model.addAttribute("secret", session.getAttribute(ENROLMENT_SECRET));
			model.addAttribute("uri", session.getAttribute(ENROLMENT_URI));
		}
		model.addAttribute("error", error);
		return "console/second-factor";
	}

	/** Signed in at the gateway, but the account holds no operator role. */
	@RequestMapping(REFUSED)
	String refused(HttpServletResponse response) {
		response.setStatus(HttpServletResponse.SC_FORBIDDEN);
		return "console/refused";
	}

	/** An operator whose roles do not allow this page or action. */
	@RequestMapping(FORBIDDEN)
	String forbidden(HttpServletResponse response) {
		response.setStatus(HttpServletResponse.SC_FORBIDDEN);
		return "console/forbidden";
	}

	@GetMapping(SIGNED_OUT)
	String signedOut() {
		return "console/signed-out";
	}

}
