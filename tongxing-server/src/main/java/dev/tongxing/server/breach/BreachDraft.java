package dev.tongxing.server.breach;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Predicate;

/** What an operator records about an incident, before it is checked. */
public record BreachDraft(Instant discoveredAt, Instant occurredFrom, Instant occurredTo, List<String> categories,
		Breach.Text description, Breach.Text cause, Breach.Text harm, Breach.Text measures, Breach.Text remedies,
		String contact) {

	static final int MAX_TEXT = 2000;

	static final int MAX_CONTACT = 200;

	/** The problems, as {@code breach.error.*} keys per field; none when it can be recorded. */
	List<BreachException.Problem> problems(Predicate<String> knownCategory, Instant now) {
		List<BreachException.Problem> problems = new ArrayList<>();
		Instant soon = now.plus(Duration.ofMinutes(5)); // clocks of operators' machines differ a little
		if (this.discoveredAt == null) {
			problems.add(new BreachException.Problem("discoveredAt", "discovered-missing"));
		}
		else if (this.discoveredAt.isAfter(soon)) {
			problems.add(new BreachException.Problem("discoveredAt", "future"));
		}
		if (this.occurredFrom != null && this.occurredTo != null && this.occurredTo.isBefore(this.occurredFrom)) {
			problems.add(new BreachException.Problem("occurredTo", "occurred-order"));
		}
		if ((this.occurredFrom != null && this.occurredFrom.isAfter(soon))
				|| (this.occurredTo != null && this.occurredTo.isAfter(soon))) {
			problems.add(new BreachException.Problem("occurredFrom", "future"));
		}
		if (this.categories == null || this.categories.isEmpty()) {
			problems.add(new BreachException.Problem("categories", "categories-missing"));
		}
		else if (!this.categories.stream().allMatch(knownCategory)) {
			problems.add(new BreachException.Problem("categories", "category-unknown"));
		}
		text("description", this.description, problems);
		text("cause", this.cause, problems);
		text("harm", this.harm, problems);
		text("measures", this.measures, problems);
		text("remedies", this.remedies, problems);
		if (this.contact == null || this.contact.isBlank() || this.contact.strip().length() > MAX_CONTACT
				|| this.contact.chars().anyMatch(Character::isISOControl)) {
			problems.add(new BreachException.Problem("contact", "contact"));
		}
		return problems;
	}

	/** The same draft with texts stripped and categories without repeats. */
	BreachDraft tidy() {
		return new BreachDraft(this.discoveredAt, this.occurredFrom, this.occurredTo,
				List.copyOf(new LinkedHashSet<>(this.categories)), strip(this.description), strip(this.cause),
				strip(this.harm), strip(this.measures), strip(this.remedies), this.contact.strip());
	}

	private static Breach.Text strip(Breach.Text text) {
		return new Breach.Text(text.zh().strip(), text.en().strip());
	}

	private static void text(String field, Breach.Text text, List<BreachException.Problem> problems) {
		if (text == null || !fits(text.zh()) || !fits(text.en())) {
			problems.add(new BreachException.Problem(field, "text"));
		}
	}

	private static boolean fits(String text) {
		if (text == null || text.isBlank()) {
			return false;
		}
		String s = text.strip();
		return s.codePointCount(0, s.length()) <= MAX_TEXT
				&& s.chars().noneMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t');
	}

}
