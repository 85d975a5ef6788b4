package dev.tongxing.server.connector.oidc;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One OpenID Connect provider as written under {@code tongxing.oidc-upstreams[*]}.
 *
 * @param id short name: the login method is {@code oidc:<id>}, its pages live under {@code /login/oidc/<id>}
 * @param displayName button text in any language; {@code displayNameZh} / {@code displayNameEn} win for theirs
 * @param issuer the provider's issuer identifier, exactly as its ID tokens carry it
 * @param clientSecret sent with HTTP Basic; absent for a public client (then PKCE alone proves the code)
 * @param scopes requested scopes; {@code openid} is required
 * @param timeout limit of each call to the provider (connect and read, each)
 * @param userinfo whether to also ask the userinfo endpoint for profile claims (when the provider has one)
 */
public record OidcUpstreamDefinition(String id, String displayName, String displayNameZh, String displayNameEn,
		String issuer, String clientId, String clientSecret, @DefaultValue({ "openid", "profile" }) List<String> scopes,
		@DefaultValue("5s") Duration timeout, @DefaultValue("true") boolean userinfo) {

	/** Login methods of OpenID Connect upstreams: {@code oidc:<id>}. */
	static final String METHOD_PREFIX = "oidc:";


	/** Ids become part of URLs and of identity namespaces ({@code oidc:<id>}, at most 40 characters). */
	private static final String ID_PATTERN = "[a-z0-9][a-z0-9-]{0,29}";

	/** The issuer is part of each identity key ({@code issuer|sub}, at most 200 characters). */
	static final int MAX_ISSUER_LENGTH = 100;

	public String method() {
		return METHOD_PREFIX + this.id;
	}

	public boolean isPublicClient() {
		return this.clientSecret == null || this.clientSecret.isBlank();
	}

	/** The button text for a page in {@code locale}: Chinese pages prefer the Chinese name, others the English. */
	public String displayName(Locale locale) {
		boolean chinese = locale != null && "zh".equals(locale.getLanguage());
		String preferred = chinese ? this.displayNameZh : this.displayNameEn;
		String other = chinese ? this.displayNameEn : this.displayNameZh;
		for (String name : new String[] { preferred, this.displayName, other }) {
			if (name != null && !name.isBlank()) {
				return name;
			}
		}
		return this.id;
	}

	/** @return what is wrong with this definition, as sentences an operator can act on */
	List<String> problems() {
		List<String> problems = new ArrayList<>();
		if (this.id == null || !this.id.matches(ID_PATTERN)) {
			problems.add("id '" + this.id + "' must be 1 to 30 lower-case letters, digits or '-' (it becomes part of URLs)");
		}
		if (isBlank(this.displayName) && isBlank(this.displayNameZh) && isBlank(this.displayNameEn)) {
			problems.add("display-name (or display-name-zh / display-name-en) is required: it is the button text");
		}
		issuerProblem().ifPresent(problems::add);
		if (isBlank(this.clientId)) {
			problems.add("client-id is required");
		}
		if (!this.scopes.contains("openid")) {
			problems.add("scopes must include 'openid' (it is what makes the provider return an ID token)");
		}
		if (this.timeout.isNegative() || this.timeout.isZero() || this.timeout.compareTo(Duration.ofSeconds(30)) > 0) {
			problems.add("timeout must be between 1ms and 30s");
		}
		return problems;
	}

	private Optional<String> issuerProblem() {
		if (isBlank(this.issuer)) {
			return Optional.of("issuer is required");
		}
		URI uri;
		try {
			uri = new URI(this.issuer);
		}
		catch (URISyntaxException ex) {
			return Optional.of("issuer '" + this.issuer + "' is not a valid URL");
		}
		if (!uri.isAbsolute() || uri.getHost() == null) {
			return Optional.of("issuer '" + this.issuer + "' must be an absolute URL with a host");
		}
		if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
			return Optional.of("issuer '" + this.issuer + "' must not have a query or fragment (OpenID Connect Discovery §2)");
		}
		if (this.issuer.length() > MAX_ISSUER_LENGTH) {
			return Optional.of("issuer is longer than " + MAX_ISSUER_LENGTH + " characters");
		}
		String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
		if (scheme.equals("https") || (scheme.equals("http") && isLoopbackLiteral(uri.getHost()))) {
			return Optional.empty();
		}
		return Optional.of("issuer '" + this.issuer
				+ "' must use https (plain http only on a loopback address such as 127.0.0.1, for tests)");
	}

	private static boolean isLoopbackLiteral(String host) {
		String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
		if (!literal.matches("[0-9.]+|[0-9a-fA-F:]+")) {
			return false; // a name would need a DNS lookup, whose answer can change
		}
		try {
			return InetAddress.getByName(literal).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

	private static boolean isBlank(String value) {
		return value == null || value.isBlank();
	}

}
