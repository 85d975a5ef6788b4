package dev.tongxing.server.login;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.stereotype.Component;

/** A person's sessions at the gateway, on every device and node: ending them all signs the person out. */
@Component
public class UserSessions {

	private final FindByIndexNameSessionRepository<? extends Session> sessions;

	UserSessions(FindByIndexNameSessionRepository<? extends Session> sessions) {
		this.sessions = sessions;
	}

	/**
	 * Ends every session of the user, the current request's included (if given).
	 * @return how many sessions were ended elsewhere
	 */
	public int endAll(String userId, HttpServletRequest current) {
		if (current != null) {
			HttpSession session = current.getSession(false);
			if (session != null) {
				session.invalidate();
			}
			SecurityContextHolder.clearContext();
		}
		var found = this.sessions.findByPrincipalName(userId).keySet();
		found.forEach(this.sessions::deleteById);
		return found.size();
	}

}
