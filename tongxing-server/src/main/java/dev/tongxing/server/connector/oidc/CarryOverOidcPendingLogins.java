package dev.tongxing.server.connector.oidc;

import dev.tongxing.server.crypto.Digests;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Flyway V121 (after V120 made the one pending-login table), a Java migration because the bindings must be
 * hashed the same way on every database: OpenID Connect logins under way move from
 * {@code oidc_upstream_pending_login} (their browser binding in clear) to {@code login_pending_login}, and the
 * old table goes. Runs in Flyway's transaction: all of it, or nothing.
 */
@Component
class CarryOverOidcPendingLogins implements JavaMigration {

	private final JsonMapper json = JsonMapper.builder().build();

	@Override
	public MigrationVersion getVersion() {
		return MigrationVersion.fromVersion("121");
	}

	@Override
	public String getDescription() {
		return "login carry over oidc pending logins";
	}

	@Override
	public Integer getChecksum() {
		return null;
	}

	@Override
	public boolean canExecuteInTransaction() {
		return true;
	}

	@Override
	public void migrate(Context context) throws Exception {
		Connection connection = context.getConnection();
		try (Statement select = connection.createStatement();
				ResultSet rows = select.executeQuery("""
						SELECT state, browser_binding, upstream_id, nonce, code_verifier, expires_at
						FROM oidc_upstream_pending_login""");
				PreparedStatement insert = connection.prepareStatement("""
						INSERT INTO login_pending_login (state, binding_hash, method, app, attributes, expires_at)
						VALUES (?, ?, ?, ?, ?, ?)""")) {
			while (rows.next()) {
				String upstream = rows.getString("upstream_id");
				Map<String, String> attributes = new LinkedHashMap<>();
				attributes.put(OidcUpstreamConnectors.NONCE, rows.getString("nonce"));
				attributes.put(OidcUpstreamConnectors.CODE_VERIFIER, rows.getString("code_verifier"));
				insert.setString(1, rows.getString("state"));
				insert.setString(2, Digests.sha256Hex(rows.getString("browser_binding")));
				insert.setString(3, OidcUpstreamDefinition.METHOD_PREFIX + upstream);
				insert.setString(4, upstream);
				insert.setString(5, this.json.writeValueAsString(attributes));
				insert.setObject(6, rows.getObject("expires_at", java.time.OffsetDateTime.class));
				insert.executeUpdate();
			}
		}
		try (Statement drop = connection.createStatement()) {
			drop.execute("DROP TABLE oidc_upstream_pending_login");
		}
	}

}
