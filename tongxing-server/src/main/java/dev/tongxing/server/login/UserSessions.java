package dev.tongxing.server.login;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A person's sessions at the gateway, on every device and node: ending them all signs the person out.
 * Sessions are deleted by Spring Session JDBC's principal-name index in SQL, in the caller's transaction —
 * Spring Session's own {@code deleteById} commits on its own, and would sign people out of a change (a
 * deletion, a withdrawal) that then rolls back.
 */
@Component
public class UserSessions {

	private final JdbcClient jdbc;

	private final String table;

	UserSessions(JdbcClient jdbc, @Value("${spring.session.jdbc.table-name:SPRING_SESSION}") String table) {
		if (!table.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
			throw new IllegalStateException("spring.session.jdbc.table-name is not a table name: " + table);
		}
		this.jdbc = jdbc;
		this.table = table;
	}

	/**
	 * Ends every session of the user (their attributes go with them: ON DELETE CASCADE).
	 * @return how many were ended
	 */
	public int endAll(String userId) {
		return this.jdbc.sql("DELETE FROM " + this.table + " WHERE PRINCIPAL_NAME = :u").param("u", userId).update();
	}

	/**
	 * Ends every session of the user, and then the current request's session and security context: after the
	 * caller's transaction commits, if there is one (Spring Session's invalidation commits on its own, and must
	 * not sign the person out of a change that rolls back).
	 */
	public int endAll(String userId, HttpServletRequest current) {
		int ended = endAll(userId);
		Runnable signOut = () -> {
			HttpSession session = current.getSession(false);
			if (session != null) {
				session.invalidate();
			}
			SecurityContextHolder.clearContext();
		};
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					signOut.run();
				}
			});
		}
		else {
			signOut.run();
		}
		return ended;
	}

}
