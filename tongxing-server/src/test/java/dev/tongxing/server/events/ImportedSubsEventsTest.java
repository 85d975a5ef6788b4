package dev.tongxing.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.testing.TestBrowser;
import dev.tongxing.server.transfer.UserImport;
import java.io.BufferedReader;
import java.io.StringReader;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** A person imported with a sub for one client: that client's back-channel logout token names them by it. */
class ImportedSubsEventsTest extends EventsGatewayTest {

	@Autowired
	UserImport imports;

	@Autowired
	AccountService accounts;

	@Autowired
	SecurityEvents events;

	@Autowired
	TransactionTemplate tx;

	@Autowired
	JdbcClient jdbc;

	@Test
	void logoutTokensCarryTheSubEachClientKnows() {
		String name = newUserName();
		String oldSub = "old-" + name;
		String line = "{\"id\":\"legacy-" + name + "\",\"logins\":[{\"provider\":\"dev\",\"key\":\"" + name
				+ "\"}],\"subs\":{\"rp-one\":\"" + oldSub + "\"}}";
		UserImport.Report report = this.imports.run(() -> new BufferedReader(new StringReader(line)),
				"sha-" + name, false, "test:import", p -> {
				});
		assertThat(report.created()).as(report.describe()).isEqualTo(1);
		String account = this.accounts.userFor(new IdentityKey("dev", name)).orElseThrow();

		TestBrowser browser = browser();
		assertThat(signIn(browser, "rp-one", name)).isEqualTo(oldSub);
		assertThat(signIn(browser, "rp-two", null)).isEqualTo(account);
		this.tx.executeWithoutResult(status -> this.events.logoutEverywhere(account));

		await().atMost(Duration.ofSeconds(20)).until(() -> delivered(account) == 2);
		assertThat(RECEIVER.arrivals("rp-one", "logout")).singleElement()
			.satisfies(logout -> assertThat(logout.claims().getSubject()).isEqualTo(oldSub));
		assertThat(RECEIVER.arrivals("rp-two", "logout")).singleElement()
			.satisfies(logout -> assertThat(logout.claims().getSubject()).isEqualTo(account));
	}

	private long delivered(String user) {
		Map<String, Long> statuses = this.jdbc
			.sql("SELECT status, COUNT(*) FROM events_outbox WHERE user_id = :u GROUP BY status")
			.param("u", user)
			.query((rs, i) -> Map.entry(rs.getString(1), rs.getLong(2)))
			.list()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
		return statuses.getOrDefault("delivered", 0L);
	}

}
