package dev.tongxing.server.console;

import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * The authorities of a console sign-in. After the gateway's sign-in the console holds only {@link #PENDING}
 * (the second factor is still to come); after the second factor, one authority per role the operator holds,
 * each including the ones below it ({@code admin} also holds support's and viewer's), and the factor used.
 */
public final class ConsoleOperator {

	/** Signed in at the gateway, second factor not yet given: only the second-factor pages. */
	public static final String PENDING = "CONSOLE_SECOND_FACTOR_PENDING";

	static final String FACTOR_TOTP = "CONSOLE_FACTOR_TOTP";

	private static final String ROLE_PREFIX = "CONSOLE_";

	private ConsoleOperator() {
	}

	/** The authority that allows what needs {@code role} (held by that role and every role above it). */
	public static String authority(OperatorRole role) {
		return ROLE_PREFIX + role.name();
	}

	/** A signed-in operator, named by their account id. */
	static Authentication signedIn(String accountId, Set<OperatorRole> roles) {
		return UsernamePasswordAuthenticationToken.authenticated(accountId, null, authorities(roles));
	}

	static List<GrantedAuthority> authorities(Set<OperatorRole> roles) {
		List<GrantedAuthority> authorities = new ArrayList<>();
		for (OperatorRole role : OperatorRole.values()) {
			if (role.grantedBy(roles)) {
				authorities.add(new SimpleGrantedAuthority(authority(role)));
			}
		}
		authorities.add(new SimpleGrantedAuthority(FACTOR_TOTP));
		return authorities;
	}

	/** Whether the caller is an operator signed in to the console (both steps). */
	public static boolean isConsoleOperator(Principal caller) {
		return caller instanceof Authentication auth && auth.getAuthorities()
			.stream()
			.anyMatch(a -> a.getAuthority().equals(FACTOR_TOTP));
	}

	/**
	 * Whether a page may show this caller personal data unmasked: a console operator needs {@code support}; the
	 * JSON API's callers are decided by the API (unchanged here).
	 */
	public static boolean maySeeUnmasked(Principal caller) {
		return !isConsoleOperator(caller) || holds(caller, OperatorRole.SUPPORT);
	}

	/** Personal data as a page shows it to this caller: masked (the last four characters at most) for a viewer. */
	public static String shown(Principal caller, String personalData) {
		return maySeeUnmasked(caller) ? personalData : PeopleAdminController.mask(personalData);
	}

	/**
	 * Whether this caller may see a person's data unmasked anywhere, page or JSON API: a console operator needs
	 * {@code support}; an API caller a Basic operator or a {@code tongxing.admin.write} token (as
	 * {@code GET /admin/api/people} decides), never a {@code tongxing.admin.read} one.
	 */
	public static boolean seesClear(Principal caller) {
		if (isConsoleOperator(caller)) {
			return holds(caller, OperatorRole.SUPPORT);
		}
		return caller instanceof Authentication auth && PeopleAdminController.mayReadClear(auth);
	}

	/** The last four characters at most, the rest starred (the people lookup's mask). */
	public static String masked(String personalData) {
		return PeopleAdminController.mask(personalData);
	}

	/** Whether a console operator holds what needs {@code role}. */
	public static boolean holds(Principal caller, OperatorRole role) {
		return caller instanceof Authentication auth && auth.getAuthorities()
			.stream()
			.anyMatch(a -> a.getAuthority().equals(authority(role)));
	}

}
