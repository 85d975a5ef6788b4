package dev.tongxing.server.branding;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The deployment's branding and that of its first-party clients, checked once at start-up (the gateway refuses to
 * start and lists every problem), and what a page shows ({@link #page()}, {@code ${@branding.page()}} in the
 * templates): the deployment's look everywhere, a first-party client's over it on the sign-in pages of that
 * client's authorization request ({@code /login/**}, {@code /privacy/consent/**}, {@code /oauth2/consent/**}).
 */
@Component("branding")
public class Branding {

	/** Where the override folder's {@code files/} are served. */
	public static final String FILES_PATH = "/branding/files/";

	/** The stylesheet with the configured colours. */
	public static final String THEME_PATH = "/branding/theme.css";

	static final String EXTRA_CSS = "branding.css";

	private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}");

	private final Look deployment;

	private final Map<String, Look> clients = new HashMap<>();

	private final Path folder;

	private final boolean extraCss;

	private final MessageSource messages;

	Branding(BrandingProperties properties, BrandingClientSettings clientSettings, MessageSource messages) {
		this.messages = messages;
		List<String> problems = new ArrayList<>();
		this.folder = folder(properties.folder(), problems);
		this.deployment = properties.look();
		check("tongxing.branding", this.deployment, problems);
		List<BrandingClientSettings.Client> configured = clientSettings.clients();
		for (int i = 0; i < configured.size(); i++) {
			BrandingClientSettings.Client client = configured.get(i);
			if (client.branding() == null) {
				continue;
			}
			String prefix = "tongxing.clients[" + i + "].branding";
			if (!Boolean.TRUE.equals(client.firstParty())) {
				problems.add(prefix + ": only a first-party client (first-party: true) has branding of its own, so that"
						+ " people always see whose page they are on (client " + client.clientId() + ")");
				continue;
			}
			check(prefix, client.branding(), problems);
			this.clients.put(client.clientId(), client.branding());
		}
		if (!problems.isEmpty()) {
			throw new IllegalStateException("The branding configuration is not valid:\n - " + String.join("\n - ", problems));
		}
		this.extraCss = this.folder != null && Files.isRegularFile(this.folder.resolve("files").resolve(EXTRA_CSS));
	}

	private static Path folder(String configured, List<String> problems) {
		if (configured == null || configured.isBlank()) {
			return null;
		}
		Path folder = Path.of(configured).toAbsolutePath().normalize();
		if (!Files.isDirectory(folder) || !Files.isReadable(folder)) {
			problems.add("tongxing.branding.folder: " + folder + " is not a readable directory");
			return null;
		}
		return folder;
	}

	private void check(String prefix, Look look, List<String> problems) {
		if (look.productName() != null) {
			checkText(prefix + ".product-name.zh", look.productName().zh(), 40, true, problems);
			checkText(prefix + ".product-name.en", look.productName().en(), 40, true, problems);
		}
		checkText(prefix + ".policy-contact", look.policyContact(), 200, false, problems);
		for (Map.Entry<String, String> colour : Map.of("primary-color", nullToEmpty(look.primaryColor()),
				"accent-color", nullToEmpty(look.accentColor())).entrySet()) {
			if (!colour.getValue().isEmpty() && !CssColours.isColour(colour.getValue())) {
				problems.add(prefix + "." + colour.getKey() + ": '" + colour.getValue() + "' is not a CSS colour (#rgb,"
						+ " #rrggbb, #rrggbbaa, rgb(), rgba(), hsl(), hsla() with numbers, or a colour name such as navy)");
			}
		}
		if (look.logo() != null) {
			String problem = logoProblem(look.logo());
			if (problem != null) {
				problems.add(prefix + ".logo: '" + look.logo() + "' " + problem);
			}
		}
	}

	private String logoProblem(String logo) {
		if (logo.startsWith("https://")) {
			try {
				URI uri = new URI(logo);
				return uri.getHost() == null || uri.getFragment() != null ? "is not an https URL with a host and no fragment"
						: null;
			}
			catch (java.net.URISyntaxException ex) {
				return "is not a URL: " + ex.getReason();
			}
		}
		if (logo.startsWith("/")) {
			return logo.startsWith("//") || logo.contains("..") || logo.chars().anyMatch(c -> c <= ' ')
					? "is not a path on this gateway" : null;
		}
		if (!FILE_NAME.matcher(logo).matches()) {
			return "is neither an https URL, a path on this gateway (/…) nor a file name in the override folder";
		}
		if (this.folder == null) {
			return "names a file, but tongxing.branding.folder is not set";
		}
		Path file = this.folder.resolve("files").resolve(logo);
		return Files.isRegularFile(file) ? null : "is not a file in " + file.getParent();
	}

	private static void checkText(String key, String value, int max, boolean required, List<String> problems) {
		if (value == null || value.isBlank()) {
			if (required) {
				problems.add(key + ": is required (a product name is given in both languages)");
			}
			return;
		}
		if (value.strip().codePointCount(0, value.strip().length()) > max || value.codePoints().anyMatch(Character::isISOControl)) {
			problems.add(key + ": at most " + max + " characters, without control characters");
		}
	}

	private static String nullToEmpty(String value) {
		return value == null ? "" : value.strip();
	}

	/** The override folder, or null. */
	Path folder() {
		return this.folder;
	}

	/** The configured look of a first-party client (its own parts only), or the deployment's. */
	Look look(String clientId) {
		Look own = clientId == null ? null : this.clients.get(clientId);
		return own == null ? this.deployment : own.over(this.deployment);
	}

	boolean hasClient(String clientId) {
		return clientId != null && this.clients.containsKey(clientId);
	}

	/** What the page being rendered shows. */
	public Page page() {
		HttpServletRequest request = RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes a
				? a.getRequest() : null;
		String client = request == null ? null : signInClient(request);
		if (client != null && !this.clients.containsKey(client)) {
			client = null;
		}
		Look look = look(client);
		Locale locale = LocaleContextHolder.getLocale();
		String name = look.productName() != null ? look.productName().in(locale).strip()
				: this.messages.getMessage("app.name", null, "Tongxing", locale);
		String logo = look.logo() == null ? null
				: look.logo().startsWith("https://") || look.logo().startsWith("/") ? look.logo() : FILES_PATH + look.logo();
		String theme = !look.colours() ? null
				: client != null && this.clients.get(client).colours() ? THEME_PATH + "?client=" + client : THEME_PATH;
		return new Page(name, logo, look.productName() != null || look.logo() != null, theme,
				this.extraCss ? FILES_PATH + EXTRA_CSS : null,
				look.policyContact() == null ? null : look.policyContact().strip(), client);
	}

	/** The client of the authorization request a sign-in page is part of, when it is one. */
	private static String signInClient(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		if (!(path.equals("/login") || path.startsWith("/login/") || path.startsWith("/privacy/consent")
				|| path.startsWith("/oauth2/consent"))) {
			return null;
		}
		HttpSession session = request.getSession(false);
		if (session == null) {
			return null;
		}
		java.util.Enumeration<String> names = session.getAttributeNames();
		while (names.hasMoreElements()) {
			if (session.getAttribute(names.nextElement()) instanceof SavedRequest saved) {
				String[] ids = saved.getParameterValues("client_id");
				if (ids != null && ids.length > 0) {
					return ids[0];
				}
			}
		}
		return null;
	}

	/**
	 * @param name the product name in the page's language (the built-in one when none is configured)
	 * @param logo where the logo is, or null
	 * @param header whether the page shows a header with the logo and name (only when branding sets them)
	 * @param theme the stylesheet with the colours, or null
	 * @param extraCss the override folder's stylesheet, or null
	 * @param policyContact who to ask about the policy, or null
	 * @param clientId the first-party client whose branding applies, or null
	 */
	public record Page(String name, String logo, boolean header, String theme, String extraCss, String policyContact,
			String clientId) {
	}

}
