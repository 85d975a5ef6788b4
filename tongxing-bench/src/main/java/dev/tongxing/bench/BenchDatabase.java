package dev.tongxing.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The gateway's database for one run: in-memory H2 (the default), or a fresh schema in the local PostgreSQL
 * ({@code --database=postgres}: {@code 127.0.0.1:5432}, {@code postgres}/{@code postgres}, database
 * {@code test}; {@code TONGXING_BENCH_PG_URL}, {@code _USER}, {@code _PASSWORD} override them) that Flyway
 * creates at start-up and {@link #close} drops. A schema to keep (the seeding command's) is named by the
 * caller and never dropped.
 */
final class BenchDatabase implements AutoCloseable {

	static final String PG_URL = System.getenv().getOrDefault("TONGXING_BENCH_PG_URL",
			"jdbc:postgresql://127.0.0.1:5432/test");

	static final String PG_USER = System.getenv().getOrDefault("TONGXING_BENCH_PG_USER", "postgres");

	static final String PG_PASSWORD = System.getenv().getOrDefault("TONGXING_BENCH_PG_PASSWORD", "postgres");

	private final String kind;

	private final String schema;

	private final boolean dropOnClose;

	private BenchDatabase(String kind, String schema, boolean dropOnClose) {
		this.kind = kind;
		this.schema = schema;
		this.dropOnClose = dropOnClose;
	}

	static BenchDatabase h2() {
		return new BenchDatabase("h2", null, false);
	}

	/** A new schema, dropped on {@link #close}. */
	static BenchDatabase freshPostgres() {
		return new BenchDatabase("postgres", "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12), true);
	}

	/** A named schema that outlives the run (e.g. the seeded one). */
	static BenchDatabase postgres(String schema) {
		if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) {
			throw new IllegalArgumentException("Not a plain schema name: " + schema);
		}
		return new BenchDatabase("postgres", schema, false);
	}

	static BenchDatabase of(String kind) {
		return switch (kind) {
			case "h2" -> h2();
			case "postgres" -> freshPostgres();
			default -> throw new IllegalArgumentException("--database must be h2 or postgres");
		};
	}

	String kind() {
		return this.kind;
	}

	String schema() {
		return this.schema;
	}

	String jdbcUrl() {
		return this.schema == null ? null : PG_URL + "?currentSchema=" + this.schema;
	}

	/** Spring properties that point the gateway at this database. */
	Map<String, Object> properties() {
		Map<String, Object> p = new LinkedHashMap<>();
		if (this.schema == null) {
			p.put("spring.datasource.url", "jdbc:h2:mem:bench-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		}
		else {
			p.put("spring.datasource.url", jdbcUrl());
			p.put("spring.datasource.username", PG_USER);
			p.put("spring.datasource.password", PG_PASSWORD);
			p.put("spring.flyway.schemas", this.schema);
		}
		return p;
	}

	Connection connect() throws SQLException {
		return DriverManager.getConnection(jdbcUrl(), PG_USER, PG_PASSWORD);
	}

	@Override
	public void close() throws SQLException {
		if (this.dropOnClose && this.schema != null) {
			try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD);
					Statement s = c.createStatement()) {
				s.execute("DROP SCHEMA IF EXISTS " + this.schema + " CASCADE");
			}
		}
	}

}
