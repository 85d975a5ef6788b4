package dev.tongxing.server.connector.wechat.follow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.TestBrowser;
import dev.tongxing.wechat.emulator.WechatEmulator;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.web.util.HtmlUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the follow tests share: the emulator pointed at the gateway, and the QR page read as its script reads it. */
final class FollowTesting {

	private static final Pattern TICKET = Pattern.compile("data-ticket=\"([^\"]+)\"");

	private static final Pattern STATUS = Pattern.compile("data-status-url=\"([^\"]+)\"");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private FollowTesting() {
	}

	/** The emulator's official account pushes to this gateway (an earlier test may have moved it or its clock). */
	static void pushesHere(WechatEmulator emulator, DevFollowEndpoint dev) {
		emulator.control().setClock(Instant.now());
		emulator.control().setMessageEndpoint(dev.appid(), dev.endpoint());
	}

	static String ticket(HttpResponse<String> page) {
		assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
		Matcher m = TICKET.matcher(page.body());
		assertThat(m.find()).as("a QR page: %s", page.body()).isTrue();
		return HtmlUtils.htmlUnescape(m.group(1));
	}

	static String statusUrl(HttpResponse<String> page) {
		Matcher m = STATUS.matcher(page.body());
		assertThat(m.find()).as("a QR page: %s", page.body()).isTrue();
		return HtmlUtils.htmlUnescape(m.group(1));
	}

	/** The page's long poll, once. */
	static JsonNode status(TestBrowser browser, HttpResponse<String> page) {
		HttpResponse<String> answer = browser.get(statusUrl(page));
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		return JSON.readTree(answer.body());
	}

	/** Where the page's script goes once the code is scanned. */
	static String next(TestBrowser browser, HttpResponse<String> page) {
		JsonNode status = status(browser, page);
		assertThat(status.path("status").asString()).as(status.toString()).isEqualTo("scanned");
		return status.path("next").asString();
	}

}
