package dev.tongxing.server.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

/**
 * The real PostgreSQL on localhost that bin/test makes sure is running. Each caller gets a schema of its
 * own, dropped afterwards, so runs never see each other's rows.
 */
public final class Postgres implements AutoCloseable {

	public static final String URL = System.getenv().getOrDefault("TONGXING_TEST_PG_URL",
			"jdbc:postgresql://127.0.0.1:5432/test");

	public static final String USER = System.getenv().getOrDefault("TONGXING_TEST_PG_USER", "postgres");

	public static final String PASSWORD = System.getenv().getOrDefault("TONGXING_TEST_PG_PASSWORD", "postgres");

	private final String schema = "tx_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

	public String schema() {
		return this.schema;
	}

	/** Spring properties that point a gateway at this schema (Flyway creates it). */
	public Map<String, Object> properties() {
		return Map.of("spring.datasource.url", URL + "?currentSchema=" + this.schema, "spring.datasource.username",
				USER, "spring.datasource.password", PASSWORD, "spring.flyway.schemas", this.schema);
	}

	public Connection connect() throws SQLException {
		return DriverManager.getConnection(URL + "?currentSchema=" + this.schema, USER, PASSWORD);
	}

	@Override
	public void close() throws SQLException {
		try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD)) {
			c.createStatement().execute("DROP SCHEMA IF EXISTS " + this.schema + " CASCADE");
		}
	}

}
