package dev.tongxing.server.console;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an operator may do in the console: {@code viewer} reads (personal data masked), {@code support} also
 * acts for people (disable, end sessions, see personal data with a reason), {@code admin} also changes the
 * gateway (clients, keys, policies, operators).
 */
public enum OperatorRole {

	VIEWER, SUPPORT, ADMIN;

	/** The role's name as written in configuration, on the command line and in the database. */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	public static OperatorRole parse(String value) {
		String name = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
		return Arrays.stream(values())
			.filter(r -> r.value().equals(name))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException(
					"Unknown operator role '" + value + "': use viewer, support or admin"));
	}

	/** {@code "viewer,support"} → the roles; blank → none. */
	public static Set<OperatorRole> parseAll(String values) {
		if (values == null || values.isBlank()) {
			return EnumSet.noneOf(OperatorRole.class);
		}
		return Arrays.stream(values.split(","))
			.filter(v -> !v.isBlank())
			.map(OperatorRole::parse)
			.collect(Collectors.toCollection(() -> EnumSet.noneOf(OperatorRole.class)));
	}

	static String join(Set<OperatorRole> roles) {
		return roles.stream().sorted().map(OperatorRole::value).collect(Collectors.joining(","));
	}

	/** Whether holding {@code held} allows what needs this role: admin includes support, support viewer. */
	public boolean grantedBy(Set<OperatorRole> held) {
		return held.stream().anyMatch(h -> h.ordinal() >= ordinal());
	}

}
