package dev.tongxing.server.oidc;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.web.util.HtmlUtils;

/**
 * OAuth 2.0 Form Post Response Mode: the authorization response as hidden fields of a form that the browser posts
 * to the client's redirect URI at once (a script of our own origin, as the page's content policy allows; a button
 * without scripts). Nothing of it goes into the address bar, the history or a Referer.
 */
final class FormPostResponses {

	private FormPostResponses() {
	}

	static void write(HttpServletResponse response, String redirectUri, Map<String, String> fields) throws IOException {
		StringBuilder html = new StringBuilder(512).append("""
				<!DOCTYPE html>
				<html><head><meta charset="utf-8"><title>Tongxing</title><script src="/js/form-post.js"></script></head>
				<body><form method="post" data-testid="form-post" action=\"""").append(HtmlUtils.htmlEscape(redirectUri)).append("\">\n");
		fields.forEach((name, value) -> html.append("<input type=\"hidden\" name=\"").append(HtmlUtils.htmlEscape(name))
			.append("\" value=\"").append(HtmlUtils.htmlEscape(value)).append("\">\n"));
		html.append("<noscript><button type=\"submit\">Continue</button></noscript></form></body></html>\n");
		response.setStatus(HttpServletResponse.SC_OK);
		response.setContentType("text/html;charset=UTF-8");
		response.setHeader("Cache-Control", "no-store");
		response.setHeader("Pragma", "no-cache");
		response.getOutputStream().write(html.toString().getBytes(StandardCharsets.UTF_8));
	}

}
