package dev.tongxing.bench;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One person's browser for one operation: its own cookies, redirects followed by hand (so each hop can be
 * looked at), forms read from the pages and posted back with their hidden fields (the CSRF token among them).
 * Closed after the operation, so a soak of thousands of operations holds no idle clients.
 */
final class SoakBrowser implements AutoCloseable {

	private static final Pattern FORM = Pattern.compile("<form\\b([^>]*)>(.*?)</form>", Pattern.DOTALL);

	private static final Pattern INPUT = Pattern.compile("<(?:input|button)\\b([^>]*)>", Pattern.DOTALL);

	private static final Pattern ATTRIBUTE = Pattern.compile("([a-zA-Z_:-]+)=\"([^\"]*)\"");

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	HttpResponse<String> get(String url) throws IOException, InterruptedException {
		return this.http.send(request(url).GET().build(), HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> post(String url, List<String[]> fields) throws IOException, InterruptedException {
		StringBuilder body = new StringBuilder();
		for (String[] f : fields) {
			body.append(body.isEmpty() ? "" : "&").append(Workload.Http.form(f[0])).append('=')
				.append(Workload.Http.form(f[1]));
		}
		return this.http.send(request(url).header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body.toString()))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpRequest.Builder request(String url) {
		return HttpRequest.newBuilder(URI.create(url))
			.header("Accept", "text/html")
			.header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) tongxing-soak")
			.timeout(Duration.ofSeconds(30));
	}

	/**
	 * Follows redirects until one leaves for {@code stopPrefix} (returned, not followed), one leaves for a host
	 * other than {@code host} (returned: WeChat's pages are driven step by step) or a page is reached.
	 */
	HttpResponse<String> follow(HttpResponse<String> response, String stopPrefix, String host)
			throws IOException, InterruptedException {
		HttpResponse<String> current = response;
		for (int hops = 0; hops < 20; hops++) {
			String location = current.headers().firstValue("Location").orElse(null);
			if (current.statusCode() / 100 != 3 || location == null) {
				return current;
			}
			URI next = current.uri().resolve(location);
			if (next.toString().startsWith(stopPrefix) || !next.toString().startsWith(host)) {
				return current;
			}
			current = get(next.toString());
		}
		throw new SoakFailure("redirect loop", "more than 20 redirects from " + response.uri());
	}

	static URI location(HttpResponse<String> response) {
		return response.headers().firstValue("Location").map(l -> response.uri().resolve(l)).orElse(null);
	}

	/** A form of the page: where it posts and its fields ({@code hidden} inputs, checkboxes, named buttons). */
	record Form(String action, List<String[]> hidden, List<String> checkboxes, Map<String, String> buttons) {

		/** The hidden fields, every checkbox named {@code item} ticked, and the named button pressed. */
		List<String[]> submit(String checkboxName, String button) {
			List<String[]> fields = new ArrayList<>(this.hidden);
			this.checkboxes.forEach(value -> fields.add(new String[] { checkboxName, value }));
			if (button != null) {
				String value = this.buttons.get(button);
				if (value == null) {
					throw new SoakFailure("unexpected page", "no button " + button + " in the form to " + this.action);
				}
				fields.add(new String[] { button, value });
			}
			return fields;
		}
	}

	/** The forms of a page that post to a path ending in {@code actionSuffix}. */
	static List<Form> forms(String html, String actionSuffix) {
		List<Form> forms = new ArrayList<>();
		Matcher m = FORM.matcher(html);
		while (m.find()) {
			Map<String, String> formAttributes = attributes(m.group(1));
			String action = formAttributes.getOrDefault("action", "");
			if (!action.endsWith(actionSuffix)) {
				continue;
			}
			List<String[]> hidden = new ArrayList<>();
			List<String> boxes = new ArrayList<>();
			Map<String, String> buttons = new LinkedHashMap<>();
			Matcher in = INPUT.matcher(m.group(2));
			while (in.find()) {
				Map<String, String> a = attributes(in.group(1));
				String name = a.get("name");
				if (name == null) {
					continue;
				}
				String type = a.getOrDefault("type", in.group().startsWith("<button") ? "submit" : "text");
				switch (type) {
					case "hidden" -> hidden.add(new String[] { name, a.getOrDefault("value", "") });
					case "checkbox" -> boxes.add(a.getOrDefault("value", "on"));
					case "submit" -> buttons.putIfAbsent(name, a.getOrDefault("value", ""));
					default -> {
					}
				}
			}
			forms.add(new Form(action, hidden, boxes, buttons));
		}
		return forms;
	}

	private static Map<String, String> attributes(String tag) {
		Map<String, String> a = new LinkedHashMap<>();
		Matcher m = ATTRIBUTE.matcher(tag);
		while (m.find()) {
			a.putIfAbsent(m.group(1), unescape(m.group(2)));
		}
		return a;
	}

	private static String unescape(String s) {
		return s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
			.replace("&amp;", "&");
	}

	@Override
	public void close() {
		this.http.close();
	}

}
