package dev.tongxing.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an auditor does with an export, written independently of the gateway's code: re-computes every
 * entry's hash with an ordinary JSON library and checks each entry links to the one before.
 */
final class ExportedChain {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private ExportedChain() {
	}

	/** @return the parsed entries */
	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> verify(String jsonLines) throws Exception {
		List<Map<String, Object>> entries = jsonLines.lines()
			.filter(line -> !line.isBlank())
			.map(line -> (Map<String, Object>) JSON.readValue(line, Map.class))
			.toList();
		Map<String, Object> previous = null;
		for (Map<String, Object> e : entries) {
			String canonical = JSON.writeValueAsString(Arrays.asList(e.get("seq"), e.get("recorded_at"), e.get("type"),
					e.get("actor"), e.get("subject"), e.get("client_id"), e.get("details"), e.get("prev_hash")));
			String hash = HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
			assertThat(e.get("hash")).as("hash of entry %s", e.get("seq")).isEqualTo(hash);
			if (previous != null && ((Number) e.get("seq")).longValue() == ((Number) previous.get("seq")).longValue() + 1) {
				assertThat(e.get("prev_hash")).as("link of entry %s", e.get("seq")).isEqualTo(previous.get("hash"));
			}
			previous = e;
		}
		return entries;
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> details(Map<String, Object> entry) {
		return JSON.readValue((String) entry.get("details"), Map.class);
	}

}
