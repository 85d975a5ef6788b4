package dev.tongxing.server.minors;

import dev.tongxing.server.kernel.PersonalDataSection;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The minor marker in "download my data": the age bracket, where it came from, and whether a guardian agreed. */
@Component
class MinorSection implements PersonalDataSection {

	private final Minors minors;

	MinorSection(Minors minors) {
		this.minors = minors;
	}

	@Override
	public String name() {
		return "age";
	}

	@Override
	public Object export(String userId) {
		return this.minors.standing(userId)
			.<Object>map(s -> Map.of("age_bracket", s.bracket().value(), "source", s.source(), "guardian_consented",
					s.guardianActor() != null))
			.orElse(List.of());
	}

}
