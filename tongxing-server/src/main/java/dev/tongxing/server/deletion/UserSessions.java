package dev.tongxing.server.deletion;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Ends every browser session of a person, in the caller's transaction. Spring Session's own
 * {@code FindByIndexNameSessionRepository#deleteById} commits on its own ({@code REQUIRES_NEW}), which would
 * end sessions of a deletion that then rolls back; so this deletes by the same principal-name index, in SQL.
 */
@Component
class UserSessions {

	private final JdbcClient jdbc;

	private final String table;

	UserSessions(JdbcClient jdbc, @Value("${spring.session.jdbc.table-name:SPRING_SESSION}") String table) {
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
