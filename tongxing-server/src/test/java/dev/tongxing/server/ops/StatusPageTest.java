package dev.tongxing.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.Chromium;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.TestBrowser;
import dev.tongxing.wechat.emulator.fault.FaultRule;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The public status page in a real browser, in both languages, and its Atom feed, through a WeChat outage. */
class StatusPageTest extends OpsGatewayTest {

	static final String ATOM = "http://www.w3.org/2005/Atom";

	static final String OPERATOR_WORDS = "WeChat confirmed the outage <b>& works on it</b>; phone login works.";

	@Test
	void aWechatOutageIsShownToThePublicWhileItLastsAndAfterwards() throws Exception {
		OpsDriver driver = new OpsDriver(this.issuer, this.emulator);
		this.clock.advance(Duration.ofHours(4)); // a window of its own, away from other tests' logins
		this.emulator.control().addFault(FaultRule.errcode("/sns/oauth2/access_token", -1, 1.0));
		for (int i = 0; i < 20; i++) {
			driver.wechatLogin();
		}
		this.detector.check();
		Incident incident = this.incidents.openFor("wechat").orElseThrow();
		assertThat(driver.admin("POST", "/admin/api/ops/incidents/" + incident.id() + "/updates",
				"{\"message\":\"" + OPERATOR_WORDS + "\"}").statusCode()).isEqualTo(201);

		// the login page says WeChat is failing and links to the status page
		HttpResponse<String> login = new TestBrowser(this.issuer).get("/login");
		assertThat(login.body()).contains("data-testid=\"wechat-degraded\"").contains("data-testid=\"status-link\"");

		try (Chromium chromium = Chromium.start("en")) {
			chromium.open(this.issuer + "/status");
			WebElement wechat = chromium.waitFor("[data-testid=status-method][data-method=wechat]");
			assertThat(wechat.getAttribute("data-state")).isEqualTo("outage");
			assertThat(wechat.getText()).contains("WeChat").contains("Outage");
			assertThat(wechat.findElements(By.cssSelector(".bar"))).hasSize(90);
			WebElement shown = chromium.waitFor("[data-testid=incident][data-method=wechat][data-open=true]");
			assertThat(shown.getText()).contains("WeChat: sign-in problems")
				.contains("Ongoing")
				.contains("The provider was unavailable or slow")
				.contains(OPERATOR_WORDS)
				.contains("Sign-in with WeChat is failing more than usual")
				.doesNotContain("errcode")
				.doesNotContain("access_token");
			assertThat(chromium.driver().findElements(By.cssSelector("[data-testid=status-method]")))
				.extracting(e -> e.getAttribute("data-method"))
				.contains("wechat", "phone");
		}
		try (Chromium chromium = Chromium.start("zh-CN")) {
			chromium.open(this.issuer + "/status");
			assertThat(chromium.waitFor("[data-testid=incident][data-method=wechat][data-open=true]").getText())
				.contains("微信：登录故障")
				.contains("处理中")
				.contains("登录服务商暂时不可用或响应缓慢");
			assertThat(chromium.waitFor("[data-testid=status-method][data-method=wechat]").getText()).contains("严重故障");
		}
		Element entry = feedEntry(incident.id());
		assertThat(text(entry, "title")).isEqualTo("WeChat: sign-in problems");
		assertThat(text(entry, "content")).contains(OPERATOR_WORDS).contains("The provider was unavailable or slow");

		// WeChat recovers: a whole window of successes resolves the incident
		this.emulator.control().clearFaults();
		this.breakers.getAllCircuitBreakers().forEach(b -> b.reset());
		this.clock.advance(Duration.ofMinutes(6));
		driver.wechatLogin();
		this.detector.check();
		try (Chromium chromium = Chromium.start("en")) {
			chromium.open(this.issuer + "/status");
			assertThat(chromium.waitFor("[data-testid=status-method][data-method=wechat]").getAttribute("data-state"))
				.isEqualTo("operational");
			WebElement resolved = chromium.waitFor("#incident-" + incident.id());
			assertThat(resolved.getAttribute("data-open")).isEqualTo("false");
			assertThat(resolved.getText()).contains("Resolved").contains("Sign-in with WeChat is working normally again");
			List<String> kinds = new ArrayList<>();
			resolved.findElements(By.cssSelector("[data-testid=incident-update]"))
				.forEach(u -> kinds.add(u.getAttribute("data-kind")));
			assertThat(kinds).containsExactly("resolved", "update", "opened");
			// today's bar shows the outage
			List<WebElement> bars = chromium.driver()
				.findElements(By.cssSelector("[data-testid=status-method][data-method=wechat] .bar"));
			assertThat(Double.parseDouble(bars.getLast().getAttribute("data-uptime"))).isLessThan(100);
		}
		assertThat(feedEntry(incident.id()).getElementsByTagNameNS(ATOM, "category").item(0).getAttributes()
			.getNamedItem("term").getNodeValue()).isEqualTo("resolved");
	}

	@Test
	void thePageAndTheFeedNeedNoLogin() throws Exception {
		HttpResponse<String> page = new TestBrowser(this.issuer).get("/status", "zh-CN");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("服务状态").contains("data-testid=\"status-method\"");
		HttpResponse<String> feed = new TestBrowser(this.issuer).get("/status/feed.atom");
		assertThat(feed.statusCode()).isEqualTo(200);
		assertThat(feed.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/atom+xml");
		Document xml = parse(feed.body());
		assertThat(xml.getDocumentElement().getLocalName()).isEqualTo("feed");
		assertThat(xml.getDocumentElement().getNamespaceURI()).isEqualTo(ATOM);
		assertThat(new TestBrowser(this.issuer).get("/status/status.css").statusCode()).isEqualTo(200);
	}

	Element feedEntry(long id) throws Exception {
		Document feed = parse(new TestBrowser(this.issuer).get("/status/feed.atom").body());
		NodeList entries = feed.getElementsByTagNameNS(ATOM, "entry");
		for (int i = 0; i < entries.getLength(); i++) {
			Element entry = (Element) entries.item(i);
			if (text(entry, "id").endsWith("#incident-" + id)) {
				return entry;
			}
		}
		throw new AssertionError("no entry for incident " + id);
	}

	static Document parse(String xml) throws Exception {
		DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
		factory.setNamespaceAware(true);
		factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
		return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
	}

	static String text(Element parent, String name) {
		return parent.getElementsByTagNameNS(ATOM, name).item(0).getTextContent();
	}

}
