package dev.tongxing.server.login;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.stereotype.Component;

/** A person's sessions at the gateway, on every device and node: ending them all signs the person out. */
@Component
public class UserSessions {

	private final ObjectProvider<FindByIndexNameSessionRepository<? extends Session>> sessions;

	/** A provider: operator commands run without a web server, and so without Spring Session. */
	UserSessions(ObjectProvider<FindByIndexNameSessionRepository<? extends Session>> sessions) {
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
		FindByIndexNameSessionRepository<? extends Session> repository = this.sessions.getIfAvailable();
		if (repository == null) {
			return 0;
		}
		var found = repository.findByPrincipalName(userId).keySet();
		found.forEach(repository::deleteById);
		return found.size();
	}

}
