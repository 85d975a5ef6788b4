package dev.tongxing.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A cookie-keeping HTTP client that walks the browser side of a login as a person would: it follows
 * redirects itself (so a test sees each hop) and submits the forms the pages render, CSRF token included.
 */
public final class TestBrowser {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private final String base;

	private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);

	private final HttpClient http;

	private String userAgent = "Mozilla/5.0 (X11; Linux x86_64) TestBrowser";

	private final Map<String, String> extraHeaders = new LinkedHashMap<>();

	private String postLanguage;

	public TestBrowser(String base) {
		this(base, null);
	}

	/** A browser whose connections leave from {@code localAddress} (e.g. 127.0.0.2, as a proxy would). */
	public TestBrowser(String base, java.net.InetAddress localAddress) {
		this.base = base;
		HttpClient.Builder builder = HttpClient.newBuilder()
			.cookieHandler(this.cookies)
			.followRedirects(HttpClient.Redirect.NEVER);
		if (localAddress != null) {
			builder.localAddress(localAddress);
		}
		this.http = builder.build();
	}

	/** Sends {@code name: value} with every request from now on (e.g. what a reverse proxy adds). */
	public TestBrowser header(String name, String value) {
		this.extraHeaders.put(name, value);
		return this;
	}

	/** The value of a cookie this browser holds, or null. */
	public String cookie(String name) {
		return this.cookies.getCookieStore()
			.getCookies()
			.stream()
			.filter(c -> c.getName().equals(name))
			.map(java.net.HttpCookie::getValue)
			.findFirst()
			.orElse(null);
	}

	/** Gives this browser a cookie for the gateway, as if it had kept it from an earlier visit. */
	public TestBrowser addCookie(String name, String value) {
		java.net.HttpCookie cookie = new java.net.HttpCookie(name, value);
		cookie.setPath("/");
		cookie.setVersion(0);
		this.cookies.getCookieStore().add(URI.create(this.base), cookie);
		return this;
	}

	/** Sends {@code Accept-Language: language} with the forms it posts from now on (by default none). */
	public TestBrowser postLanguage(String language) {
		this.postLanguage = language;
		return this;
	}

	/** Pretends to be another browser, e.g. WeChat's own ({@code MicroMessenger}). */
	public TestBrowser userAgent(String userAgent) {
		this.userAgent = userAgent;
		return this;
	}

	public HttpResponse<String> get(String url) {
		return get(url, "en");
	}

	public HttpResponse<String> get(String url, String acceptLanguage) {
		return send(HttpRequest.newBuilder(resolve(url))
			.header("Accept", "text/html")
			.header("Accept-Language", acceptLanguage)
			.header("User-Agent", this.userAgent)
			.GET()
			.build());
	}

	public HttpResponse<String> post(String url, Map<String, String> form) {
		return postAll(url, List.copyOf(form.entrySet()));
	}

	/** Posts a form whose fields may repeat (checkboxes, hidden scopes). */
	public HttpResponse<String> postAll(String url, List<Map.Entry<String, String>> form) {
		String body = form.stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
		HttpRequest.Builder request = HttpRequest.newBuilder(resolve(url))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Accept", "text/html")
			.header("User-Agent", this.userAgent)
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (this.postLanguage != null) {
			request.header("Accept-Language", this.postLanguage);
		}
		return send(request.build());
	}

	/** Posts a JSON body, as a page's script does ({@code fetch}), with this browser's cookies. */
	public HttpResponse<String> postJson(String url, String json) {
		return send(jsonRequest(url, json).build());
	}

	/** Posts a JSON body as a page's script does, with the page's CSRF token in {@code X-CSRF-TOKEN}. */
	public HttpResponse<String> postJson(HttpResponse<String> page, String url, String json) {
		Matcher m = CSRF.matcher(page.body());
		if (!m.find()) {
			throw new AssertionError("no CSRF token on " + page.uri());
		}
		return send(jsonRequest(url, json).header("X-CSRF-TOKEN", m.group(1)).build());
	}

	private HttpRequest.Builder jsonRequest(String url, String json) {
		return HttpRequest.newBuilder(resolve(url))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.header("User-Agent", this.userAgent)
			.POST(HttpRequest.BodyPublishers.ofString(json));
	}

	/** Posts a form rendered on {@code page} whose fields may repeat, adding the page's CSRF token. */
	public HttpResponse<String> submitAll(HttpResponse<String> page, String action,
			List<Map.Entry<String, String>> fields) {
		List<Map.Entry<String, String>> form = new java.util.ArrayList<>(fields);
		Matcher m = CSRF.matcher(page.body());
		if (m.find()) {
			form.add(Map.entry("_csrf", m.group(1)));
		}
		return postAll(action, form);
	}

	/** Posts a form rendered on {@code page}, adding its CSRF token. */
	public HttpResponse<String> submit(HttpResponse<String> page, String action, Map<String, String> fields) {
		return submitAll(page, action, List.copyOf(fields.entrySet()));
	}

	/**
	 * Follows redirects from {@code response} until one leaves for {@code stopPrefix} (returned, not
	 * followed) or a page is reached.
	 */
	public HttpResponse<String> follow(HttpResponse<String> response, String stopPrefix) {
		HttpResponse<String> current = response;
		for (int hops = 0; hops < 20; hops++) {
			String location = current.headers().firstValue("Location").orElse(null);
			if (current.statusCode() / 100 != 3 || location == null) {
				return current;
			}
			URI next = current.uri().resolve(location);
			if (stopPrefix != null && next.toString().startsWith(stopPrefix)) {
				return current;
			}
			current = get(next.toString());
		}
		throw new IllegalStateException("Too many redirects");
	}

	/**
	 * Runs an authorization request through the dev test-user login and returns the redirect to the client
	 * (the URI with {@code code}, {@code state} and {@code iss}).
	 */
	public URI authorize(URI authorizationRequest, String testUser, String redirectPrefix) {
		HttpResponse<String> response = follow(get(authorizationRequest.toString()), redirectPrefix);
		if (response.uri().getPath().equals("/login")) {
			HttpResponse<String> devPage = get("/login/dev");
			response = follow(submit(devPage, "/login/dev", Map.of("username", testUser)), redirectPrefix);
		}
		HttpResponse<String> last = response;
		String location = last.headers().firstValue("Location").orElseThrow(() -> new AssertionError(
				"Expected a redirect to the client, got HTTP " + last.statusCode() + " at " + last.uri()));
		return last.uri().resolve(location);
	}

	public static Map<String, String> query(URI uri) {
		Map<String, String> result = new LinkedHashMap<>();
		if (uri.getRawQuery() == null) {
			return result;
		}
		for (String pair : uri.getRawQuery().split("&")) {
			int eq = pair.indexOf('=');
			String key = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
			String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
			result.put(key, value);
		}
		return result;
	}

	private URI resolve(String url) {
		int fragment = url.indexOf('#'); // never sent by a browser
		if (fragment >= 0) {
			url = url.substring(0, fragment);
		}
		return url.startsWith("http") ? URI.create(url) : URI.create(this.base + url);
	}

	private HttpResponse<String> send(HttpRequest request) {
		if (!this.extraHeaders.isEmpty()) {
			HttpRequest.Builder withHeaders = HttpRequest.newBuilder(request, (name, value) -> true);
			this.extraHeaders.forEach(withHeaders::header);
			request = withHeaders.build();
		}
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String enc(String s) {
		return URLEncoder.encode(s, StandardCharsets.UTF_8);
	}

}
