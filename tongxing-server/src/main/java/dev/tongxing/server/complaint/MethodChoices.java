package dev.tongxing.server.complaint;

import dev.tongxing.server.login.LoginMethod;
import dev.tongxing.server.login.Connectors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.stereotype.Component;

/** The login methods a complaint can be about: those the login page offers right now, then "something else". */
@Component
class MethodChoices {

	static final String OTHER = "other";

	static final String OTHER_LABEL = "complaint.method.other";

	private final Connectors connectors;

	MethodChoices(Connectors connectors) {
		this.connectors = connectors;
	}

	/** A method the form offers: its id and the message key of its name. */
	record Choice(String id, String labelKey) {
	}

	List<Choice> all() {
		List<Choice> choices = new ArrayList<>(this.connectors.loginMethods()
			.stream()
			.sorted(Comparator.comparingInt(LoginMethod::order))
			.map(m -> new Choice(m.id(), m.labelKey()))
			.distinct()
			.toList());
		choices.add(new Choice(OTHER, OTHER_LABEL));
		return choices;
	}

	boolean offered(String id) {
		return all().stream().anyMatch(c -> c.id().equals(id));
	}

	/** The name of a method a ticket names (it may have been switched off since). */
	String labelKey(String id) {
		return all().stream().filter(c -> c.id().equals(id)).map(Choice::labelKey).findFirst().orElse(OTHER_LABEL);
	}

}
