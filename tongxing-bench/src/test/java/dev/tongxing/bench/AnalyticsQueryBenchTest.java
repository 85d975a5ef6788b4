package dev.tongxing.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analytics benchmark seeds through the gateway's own seeder and gets a real answer with rows for every
 * query it times (on the local PostgreSQL, a schema of its own, dropped afterwards). Tiny sizes: nothing here
 * measures speed.
 */
class AnalyticsQueryBenchTest {

	@TempDir
	Path dir;

	@Test
	void everyAnswerIsTimedOnSeededRows() throws Exception {
		Path output = this.dir.resolve("analytics-queries.json");
		ByteArrayOutputStream log = new ByteArrayOutputStream();
		int exit = AnalyticsQueryBench.run(Map.of("people", "3000", "days", "12", "range-days", "10", "repeat", "5",
				"target-ms", "60000", "output", output.toString()), new PrintStream(log, true, StandardCharsets.UTF_8));
		String printed = log.toString(StandardCharsets.UTF_8);
		assertThat(exit).as(printed).isZero();
		Map<String, Object> result = JSONObjectUtils.parse(Files.readString(output));
		assertThat(result).containsEntry("met", true).containsEntry("cohortPeople", 3000L);
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> answers = (List<Map<String, Object>>) result.get("answers");
		assertThat(answers).hasSize(2 * AnalyticsQueryBench.QUERIES.size());
		assertThat(answers).allSatisfy(a -> {
			assertThat(((Number) a.get("rows")).intValue()).as(a.toString()).isPositive();
			assertThat(((Number) a.get("p99Ms")).doubleValue()).isGreaterThanOrEqualTo(((Number) a.get("p50Ms")).doubleValue());
		});
		// by day, the long range has a row per day
		assertThat(answers).anySatisfy(a -> {
			assertThat(a).containsEntry("answer", "logins?group-by=day").containsEntry("rangeDays", 10L);
			assertThat(((Number) a.get("rows")).intValue()).isEqualTo(10);
		});
	}

}
