package dev.tongxing.server.deletion;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Ends every browser session of a person, in the caller's transaction. {@code login.UserSessions} goes
 * through Spring Session's {@code FindByIndexNameSessionRepository#deleteById}, which commits on its own
 * ({@code REQUIRES_NEW}) and so would end the sessions of a deletion that then rolls back; this deletes by
 * the same principal-name index, in SQL, inside the deletion's transaction.
 */
@Component
class SessionsInTransaction {

	private final JdbcClient jdbc;

	private final String table;

	SessionsInTransaction(JdbcClient jdbc, @Value("${spring.session.jdbc.table-name:SPRING_SESSION}") String table) {
		if (!table.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
			throw new IllegalStateException("spring.session.jdbc.table-name is not a table name: " + table);
		}
		this.jdbc = jdbc;
		this.table = table;
	}

	/** @return how many sessions were ended (their attributes go with them: ON DELETE CASCADE) */
	int endAll(String userId) {
		return this.jdbc.sql("DELETE FROM " + this.table + " WHERE PRINCIPAL_NAME = :u").param("u", userId).update();
	}

}
