package dev.tongxing.server.export;

import dev.tongxing.server.kernel.PersonalDataSection;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The "download my data" document of one person: everything held about them, one key per
 * {@link PersonalDataSection}, as JSON. Made for the person ({@code GET /account/export}) and, with the same
 * content, for an operator acting on their request (the console's People pages); each caller audits its download.
 */
@Component
public class PersonalDataExport {

	static final String FORMAT = "tongxing-personal-data/1";

	/** One document: its bytes (UTF-8 JSON), the file name to offer, the sections it holds. */
	public record Document(byte[] body, String filename, List<String> sections) {
	}

	private final List<PersonalDataSection> sections;

	private final Clock clock;

	private final JsonMapper json = JsonMapper.builder()
		.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
		.enable(SerializationFeature.INDENT_OUTPUT)
		.build();

	PersonalDataExport(List<PersonalDataSection> sections, Clock clock) {
		Set<String> names = new HashSet<>();
		for (PersonalDataSection section : sections) {
			if (!names.add(section.name())) {
				throw new IllegalStateException("Two personal-data sections are named " + section.name());
			}
		}
		this.sections = sections;
		this.clock = clock;
	}

	/** The person's document, made now (nothing is recorded here: the caller audits the download). */
	public Document of(String userId) {
		Instant now = this.clock.instant();
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("format", FORMAT);
		document.put("generated_at", now.toString());
		document.put("subject", userId);
		for (PersonalDataSection section : this.sections) {
			document.put(section.name(), section.export(userId));
		}
		byte[] body = this.json.writeValueAsString(document).getBytes(StandardCharsets.UTF_8);
		String filename = "tongxing-my-data-" + now.atOffset(ZoneOffset.UTC).toLocalDate() + ".json";
		return new Document(body, filename, this.sections.stream().map(PersonalDataSection::name).toList());
	}

}
