package dev.tongxing.server.connector.phone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.Postgres;
import java.sql.Connection;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two removals of one account's number at once, on PostgreSQL: the one that loses the insert race keeps its
 * transaction (a failed statement would abort it there, and the caller's unlink with it) and the later time.
 */
class PhoneRemovalRaceTest {

	@Test
	void theLoserOfTheInsertRaceKeepsItsTransaction() throws Exception {
		try (Postgres pg = new Postgres()) {
			DriverManagerDataSource data = new DriverManagerDataSource(Postgres.URL + "?currentSchema=" + pg.schema(),
					Postgres.USER, Postgres.PASSWORD);
			try (Connection c = java.sql.DriverManager.getConnection(Postgres.URL, Postgres.USER, Postgres.PASSWORD)) {
				c.createStatement().execute("CREATE SCHEMA " + pg.schema());
				c.createStatement().execute("CREATE TABLE " + pg.schema() + ".phone_removal (user_id varchar(64) NOT NULL,"
						+ " removed_at timestamp with time zone NOT NULL, PRIMARY KEY (user_id))");
			}
			JdbcClient jdbc = JdbcClient.create(data);
			DataSourceTransactionManager transactions = new DataSourceTransactionManager(data);
			PhoneChangeStore store = new PhoneChangeStore(jdbc, transactions);
			TransactionTemplate tx = new TransactionTemplate(transactions);
			Instant first = Instant.parse("2026-12-04T10:00:00Z");
			Instant second = first.plusSeconds(5);
			// the winner inserts and holds its transaction open; the loser's insert waits for it, then collides
			try (Connection winner = data.getConnection()) {
				winner.setAutoCommit(false);
				winner.createStatement()
					.execute("INSERT INTO phone_removal (user_id, removed_at) VALUES ('u-1', '" + first + "')");
				CompletableFuture<Long> loser = CompletableFuture.supplyAsync(() -> tx.execute(status -> {
					store.removed("u-1", second);
					// the transaction goes on: a statement after the collision still runs
					return jdbc.sql("SELECT COUNT(*) FROM phone_removal").query(Long.class).single();
				}));
				Thread.sleep(500); // the loser is now waiting on the winner's row
				assertThat(loser).isNotDone();
				winner.commit();
				assertThat(loser.get(10, TimeUnit.SECONDS)).isEqualTo(1);
			}
			assertThat(jdbc.sql("SELECT removed_at FROM phone_removal WHERE user_id = 'u-1'")
				.query(OffsetDateTime.class).single().toInstant()).isEqualTo(second);
		}
	}

}
