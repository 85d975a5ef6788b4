package dev.tongxing.server.breach;

import java.util.List;

/** Why an operator's request about an incident cannot be done; each problem is a message key (breach.error.*). */
public class BreachException extends RuntimeException {

	/** @param field the input it concerns, or null */
	public record Problem(String field, String key) {
	}

	public enum Kind {

		INVALID, NOT_FOUND, CONFLICT

	}

	private final Kind kind;

	private final List<Problem> problems;

	BreachException(Kind kind, List<Problem> problems) {
		super(kind + " " + problems, null, false, false);
		this.kind = kind;
		this.problems = List.copyOf(problems);
	}

	static BreachException invalid(List<Problem> problems) {
		return new BreachException(Kind.INVALID, problems);
	}

	static BreachException notFound() {
		return new BreachException(Kind.NOT_FOUND, List.of(new Problem(null, "not-found")));
	}

	static BreachException conflict(String key) {
		return new BreachException(Kind.CONFLICT, List.of(new Problem(null, key)));
	}

	public Kind kind() {
		return this.kind;
	}

	public List<Problem> problems() {
		return this.problems;
	}

}
