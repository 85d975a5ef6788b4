package dev.tongxing.server.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.crypto.SealedColumns;
import dev.tongxing.server.testing.GatewayTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The lists cannot fall behind the code (PIPL Art. 17; 网数条例 Art. 21): every data category the code declares —
 * each claim the gateway can release, each sealed column (declared {@link SealedColumns} beans and every
 * {@code *_sealed} column in the schema), each data category and purpose consent records are written with — has
 * a catalogue item with purpose, method and retention, and every purpose is in the register.
 */
class PersonalDataCoverageTest extends GatewayTest {

	private static final Path MAIN_SOURCES = Path.of("src/main/java");

	@Autowired
	PersonalDataCatalog catalog;

	@Autowired
	AccountService accounts;

	@Autowired
	List<SealedColumns> sealedColumns;

	@Autowired
	DataSource dataSource;

	@Test
	void everyClaimTheGatewayCanReleaseIsListed() {
		// a person with everything a claim can come from: a WeChat profile and a phone
		String phone = "+8613800" + (100000 + (int) (Math.random() * 899999));
		var user = this.accounts.signIn(new ExternalIdentity("wechat",
				List.of(new ExternalIdentity.IdentityKey("wechat-union", "coverage-" + phone)),
				new ExternalIdentity.Profile("Coverage", "https://example.com/a.png", null)));
		this.accounts.link(user.id(), new ExternalIdentity.IdentityKey("phone", phone), "test");
		Set<String> claims = new TreeSet<>(
				this.accounts.claims(user.id(), Set.of("openid", "profile", "phone", "email", "address")).keySet());
		claims.add("sub");
		assertThat(claims).contains("name", "picture", "phone_number");
		// the third-party list works out a client's data from the same scopes
		PersonalDataRecipients.SCOPE_CLAIMS.values().forEach(claims::addAll);
		assertThat(this.catalog.uncovered(claims.stream().map(c -> "claim:" + c).toList())).isEmpty();
	}

	@Test
	void everySealedColumnIsListed() throws Exception {
		Set<String> columns = new TreeSet<>();
		this.sealedColumns.forEach(t -> t.columns().forEach(c -> columns.add("column:" + t.table() + "." + c)));
		try (Connection connection = this.dataSource.getConnection();
				ResultSet rs = connection.getMetaData().getColumns(null, connection.getSchema(), "%", "%")) {
			while (rs.next()) {
				String column = rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT);
				if (column.endsWith("_sealed")) {
					columns.add("column:" + rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT) + "." + column);
				}
			}
		}
		assertThat(columns).contains("column:account_user.display_name", "column:complaint_ticket.contact_sealed");
		assertThat(this.catalog.uncovered(columns)).isEmpty();
	}

	@Test
	void everyConsentCategoryAndPurposeIsListed() throws IOException {
		Set<String> categories = new TreeSet<>();
		Set<String> purposes = new TreeSet<>();
		// every purpose a consent record can name, and every data category the gateway writes itself
		for (dev.tongxing.server.consent.ConsentRecords.Purpose purpose : dev.tongxing.server.consent.ConsentRecords.Purpose
			.values()) {
			purposes.add(purpose.value());
		}
		for (java.lang.reflect.Field field : dev.tongxing.server.consent.ConsentRecords.Categories.class.getFields()) {
			try {
				categories.add((String) field.get(null));
			}
			catch (IllegalAccessException ex) {
				throw new IllegalStateException(ex);
			}
		}
		// and the categories each native connector records when an app signs a person in
		Pattern declared = Pattern.compile("List<String> dataCategories\\(\\)\\s*\\{\\s*return List\\.of\\(([^)]*)\\)");
		Pattern literal = Pattern.compile("\"([a-z0-9-]+)\"");
		int connectors = 0;
		for (String source : sources()) {
			Matcher m = declared.matcher(source);
			while (m.find()) {
				connectors++;
				addLiterals(literal, m.group(1), categories);
			}
		}
		assertThat(connectors).as("native connectors declaring their data categories").isPositive();
		// the categories of a client consent, worked out from its claims
		String items = Files.readString(MAIN_SOURCES.resolve("dev/tongxing/server/consent/ClientConsentItems.java"));
		String categoriesMethod = items.substring(items.indexOf("static List<String> categories("));
		Matcher mapped = Pattern.compile("(?:->\\s*|List\\.of\\()\"([a-z0-9-]+)\"").matcher(categoriesMethod);
		while (mapped.find()) {
			categories.add(mapped.group(1));
		}
		assertThat(categories).contains("phone-number", "subject-identifier", "wechat-identifiers");
		assertThat(this.catalog.uncovered(categories.stream().map(c -> "consent:" + c).toList())).isEmpty();
		assertThat(purposes).isNotEmpty()
			.allSatisfy(p -> assertThat(this.catalog.purpose(p)).as("purpose " + p + " in the register").isPresent());
	}

	@Test
	void everyItemHasAPurposeMethodAndRetentionInBothLanguages() {
		assertThat(this.catalog.items()).isNotEmpty().allSatisfy(item -> {
			assertThat(item.purposes()).isNotEmpty();
			assertThat(List.of(item.name(), item.method(), item.retention()))
				.allSatisfy(text -> assertThat(text.zh()).isNotBlank())
				.allSatisfy(text -> assertThat(text.en()).isNotBlank());
		});
		assertThat(this.catalog.purposes()).allSatisfy(p -> {
			assertThat(PersonalDataCatalog.LEGAL_BASES).contains(p.legalBasis());
			if (p.legalBasis().equals("consent")) {
				assertThat(p.consentType()).isIn("general", "separate");
			}
		});
		assertThat(this.catalog.uncovered(List.of("claim:a-claim-nobody-listed"))).containsExactly(
				"claim:a-claim-nobody-listed");
	}

	private static void addLiterals(Pattern literal, String text, Set<String> into) {
		Matcher m = literal.matcher(text);
		while (m.find()) {
			into.add(m.group(1));
		}
	}

	private static List<String> sources() throws IOException {
		try (Stream<Path> files = Files.walk(MAIN_SOURCES)) {
			return files.filter(f -> f.toString().endsWith(".java")).map(f -> {
				try {
					return Files.readString(f);
				}
				catch (IOException ex) {
					throw new java.io.UncheckedIOException(ex);
				}
			}).toList();
		}
	}

}
