package dev.tongxing.example.web;

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a person's browser does in the test: keeps cookies (per host, like a browser: the gateway's and the
 * example's on 127.0.0.1 share a jar), follows redirects from site to site, and submits the forms pages render
 * with their CSRF token. Every URL it went through is kept, so a test can say which hops happened.
 */
final class Browser {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private final HttpClient http = HttpClient.newBuilder()
		.cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	private final List<URI> visited = new ArrayList<>();

	List<URI> visited() {
		return this.visited;
	}

	/** Opens {@code url} and follows its redirects to the page they end on. */
	HttpResponse<String> open(String url) {
		return follow(get(URI.create(url)));
	}

	/** Posts a form of {@code page} to {@code action} (relative to the page), with the page's CSRF token. */
	HttpResponse<String> submit(HttpResponse<String> page, String action, Map<String, String> fields) {
		Map<String, String> form = new LinkedHashMap<>(fields);
		Matcher csrf = CSRF.matcher(page.body());
		if (csrf.find()) {
			form.put("_csrf", csrf.group(1));
		}
		String body = form.entrySet()
			.stream()
			.map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
			.collect(Collectors.joining("&"));
		URI target = page.uri().resolve(action);
		this.visited.add(target);
		return follow(send(HttpRequest.newBuilder(target)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Accept", "text/html")
			.header("Accept-Language", "en")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build()));
	}

	private HttpResponse<String> follow(HttpResponse<String> response) {
		HttpResponse<String> current = response;
		for (int hops = 0; hops < 20; hops++) {
			String location = current.headers().firstValue("Location").orElse(null);
			if (current.statusCode() / 100 != 3 || location == null) {
				return current;
			}
			current = get(current.uri().resolve(location));
		}
		throw new AssertionError("More than 20 redirects, the last to " + current.uri());
	}

	private HttpResponse<String> get(URI uri) {
		this.visited.add(uri);
		return send(HttpRequest.newBuilder(uri).header("Accept", "text/html").header("Accept-Language", "en").GET().build());
	}

	private HttpResponse<String> send(HttpRequest request) {
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
