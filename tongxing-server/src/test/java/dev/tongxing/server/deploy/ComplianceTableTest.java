package dev.tongxing.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's "Compliance requirements and their tests": every test named in the table exists — a class under
 * {@code src/test/java}, and for {@code Class#method} a test method of that name in it — so the table cannot
 * promise a proof that is not there.
 */
class ComplianceTableTest {

	static final String HEADER = "| Requirement | What the gateway does | Tests |";

	@Test
	void everyTestNamedInTheTableExists() throws IOException {
		List<List<String>> rows = ReadmeTables.tableAfter(ComposeFileTest.README, HEADER);
		assertThat(rows).isNotEmpty();
		List<String> missing = new ArrayList<>();
		for (List<String> row : rows) {
			List<String> tests = ReadmeTables.codes(row.get(2));
			assertThat(tests).as("tests named for %s", row.get(0)).isNotEmpty();
			for (String test : tests) {
				String className = test.contains("#") ? test.substring(0, test.indexOf('#')) : test;
				Path source = find(className);
				if (source == null) {
					missing.add(test + " (no class)");
					continue;
				}
				if (test.contains("#")) {
					String method = test.substring(test.indexOf('#') + 1);
					String text = Files.readString(source);
					if (!text.matches("(?s).*@Test\\s+(?:@[^\\n]*\\s+)*void " + java.util.regex.Pattern.quote(method)
							+ "\\(.*")) {
						missing.add(test + " (no test method)");
					}
				}
			}
		}
		assertThat(missing).as("tests the compliance table names").isEmpty();
	}

	@Test
	void aNameThatIsNotATestIsFound() {
		assertThat(find("NoSuchComplianceTestAnywhere")).isNull();
		assertThat(find("ComplianceTableTest")).isNotNull();
	}

	private static Path find(String className) {
		try (Stream<Path> files = Files.walk(Repository.file("tongxing-server/src/test/java"))) {
			return files.filter(p -> p.getFileName().toString().equals(className + ".java")).findFirst().orElse(null);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
