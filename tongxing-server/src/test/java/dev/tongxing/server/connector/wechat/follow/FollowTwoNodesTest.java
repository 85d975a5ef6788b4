package dev.tongxing.server.connector.wechat.follow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.GatewayNode;
import dev.tongxing.server.testing.TestBrowser;
import dev.tongxing.server.testing.TwoNodes;
import dev.tongxing.wechat.emulator.DefaultFixture;
import dev.tongxing.wechat.emulator.WechatEmulator;
import dev.tongxing.wechat.emulator.core.EventPusher;
import dev.tongxing.wechat.emulator.core.MessageEndpoint;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Two nodes on one PostgreSQL: the browser waits on node A while WeChat's push reaches node B (and its resends node
 * A): A's waiting browser learns of the scan through the database alone, and is signed in once.
 */
class FollowTwoNodesTest {

	static TwoNodes nodes;

	@BeforeAll
	static void startNodes() {
		nodes = TwoNodes.start();
	}

	@AfterAll
	static void stopNodes() throws Exception {
		if (nodes != null) {
			nodes.close();
		}
	}

	@Test
	void aPushToTheOtherNodeWakesTheBrowserWaitingOnThisOne() throws Exception {
		GatewayNode a = nodes.a();
		GatewayNode b = nodes.b();
		// node A asks its WeChat (the emulator A started) for codes; that WeChat pushes to node B
		WechatEmulator wechat = a.bean(WechatEmulator.class);
		MessageEndpoint dev = a.bean(DevFollowEndpoint.class).endpoint();
		wechat.control()
			.setMessageEndpoint(DefaultFixture.OFFICIAL_ACCOUNT_APPID,
					new MessageEndpoint(b.url() + FollowMessageController.PATH, dev.token(), dev.encodingAesKey(), dev.mode()));
		TestBrowser browser = new TestBrowser(a.url());
		HttpResponse<String> sent = browser.get("/login/wechat-follow");
		assertThat(sent.statusCode()).as(sent.body()).isEqualTo(302);
		HttpResponse<String> page = browser.get(sent.headers().firstValue("Location").orElseThrow());
		assertThat(page.statusCode()).as(page.body()).isEqualTo(200);

		CompletableFuture<JsonNode> waiting = CompletableFuture.supplyAsync(() -> FollowTesting.status(browser, page));
		Thread.sleep(300);
		assertThat(waiting).as("parked on node A").isNotDone();
		EventPusher.Delivery push = wechat.control().scanQrCode(FollowTesting.ticket(page), DefaultFixture.BOB, true);
		assertThat(push.delivered()).as("%s", push.attempts()).isTrue();
		JsonNode answer = waiting.get(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
		assertThat(answer.path("status").asString()).isEqualTo("scanned");

		// WeChat resends the very same push to node A: taken once across the nodes
		HttpResponse<String> resent = java.net.http.HttpClient.newHttpClient()
			.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(a.url() + FollowMessageController.PATH + "?"
					+ query(push)))
				.header("Content-Type", "text/xml")
				.POST(java.net.http.HttpRequest.BodyPublishers.ofString(push.body()))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(resent.body()).isEqualTo("success");
		assertThat(a.bean(io.micrometer.core.instrument.MeterRegistry.class)
			.find("tongxing.wechat.follow.messages")
			.tag("outcome", "duplicate")
			.counter()
			.count()).isEqualTo(1);

		browser.follow(browser.get(answer.path("next").asString()), null);
		assertThat(browser.get("/account").statusCode()).isEqualTo(200);
	}

	private static String query(EventPusher.Delivery push) {
		return push.query()
			.entrySet()
			.stream()
			.map(e -> e.getKey() + "=" + java.net.URLEncoder.encode(e.getValue(), java.nio.charset.StandardCharsets.UTF_8))
			.collect(java.util.stream.Collectors.joining("&"));
	}

}
