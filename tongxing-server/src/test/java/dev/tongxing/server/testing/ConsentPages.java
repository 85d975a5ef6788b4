package dev.tongxing.server.testing;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Goes through Tongxing's consent for a third-party client as a person does: tick, agree, confirm. */
public final class ConsentPages {

	private ConsentPages() {
	}

	/** Ticks {@code items} on the consent page, agrees, and returns the second-confirmation page. */
	public static HttpResponse<String> agree(TestBrowser browser, HttpResponse<String> consentPage, String... items) {
		List<Map.Entry<String, String>> form = new ArrayList<>();
		form.add(Map.entry("client_id", hidden(consentPage, "client_id")));
		form.add(Map.entry("state", hidden(consentPage, "state")));
		form.add(Map.entry("requested", hidden(consentPage, "requested")));
		for (String item : items) {
			form.add(Map.entry("item", item));
		}
		form.add(Map.entry("decision", "accept"));
		return browser.follow(browser.submitAll(consentPage, "/oauth2/consent", form), null);
	}

	/** Confirms on the second page: the answer goes to the authorization endpoint (its redirect is returned). */
	public static HttpResponse<String> confirm(TestBrowser browser, HttpResponse<String> confirmPage) {
		List<Map.Entry<String, String>> form = new ArrayList<>();
		form.add(Map.entry("client_id", hidden(confirmPage, "client_id")));
		form.add(Map.entry("state", hidden(confirmPage, "state")));
		form.add(Map.entry("consent_confirmation", hidden(confirmPage, "consent_confirmation")));
		Matcher scopes = Pattern.compile("name=\"scope\" value=\"([^\"]*)\"").matcher(confirmPage.body());
		while (scopes.find()) {
			form.add(Map.entry("scope", scopes.group(1)));
		}
		form.add(Map.entry("decision", "confirm"));
		return browser.submitAll(confirmPage, "/oauth2/authorize", form);
	}

	/** The whole of it: the sharing item plus {@code scopes}, agreed and confirmed. */
	public static HttpResponse<String> approve(TestBrowser browser, HttpResponse<String> consentPage,
			String... scopes) {
		String[] items = new String[scopes.length + 1];
		items[0] = "third-party-sharing";
		System.arraycopy(scopes, 0, items, 1, scopes.length);
		return confirm(browser, agree(browser, consentPage, items));
	}

	public static String hidden(HttpResponse<String> page, String name) {
		Matcher m = Pattern.compile("name=\"" + Pattern.quote(name) + "\" value=\"([^\"]*)\"").matcher(page.body());
		if (!m.find()) {
			throw new AssertionError("No field " + name + " on " + page.uri() + ":\n" + page.body());
		}
		return m.group(1).replace("&amp;", "&");
	}

}
