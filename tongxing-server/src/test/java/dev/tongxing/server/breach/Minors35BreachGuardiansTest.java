package dev.tongxing.server.breach;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.connector.phone.LogSmsSender;
import dev.tongxing.server.connector.phone.SmsSender;
import dev.tongxing.server.minors.AgeBracket;
import dev.tongxing.server.testing.PhoneConsentForm;
import dev.tongxing.server.testing.TestBrowser;
import java.lang.reflect.Method;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestPropertySource;

/**
 * 未成年人网络保护条例 Art. 35: an incident that touched minors is told to the minors and to their guardians, and the
 * operator sees how many minors it touched (for the report). A child's notice is listed on the dashboard of the
 * guardian who consented for them; the guardian opening it is recorded, with the guardian as the actor.
 */
@TestPropertySource(locations = "classpath:minors/minors-test.properties")
class Minors35BreachGuardiansTest extends BreachTestSupport {

	@Autowired
	SmsSender sms;

	@Autowired
	ApplicationContext context;

	@Test
	void minorsAreCountedAndTheGuardianIsToldOnTheirDashboard() {
		Instant now = this.clock.instant();
		Person child = person(true);
		Person teen = person(false);
		Person adult = person(false);
		String guardianPhone = "+86136" + String.format("%08d", (int) (Math.random() * 100_000_000));
		String guardian = "guardian:" + phoneDigest(guardianPhone);
		this.minors.declare(child.id(), AgeBracket.UNDER_14);
		this.minors.guardianConsented(child.id(), guardian);
		this.minors.declare(teen.id(), AgeBracket.FROM_14_TO_17);
		this.minors.declare(adult.id(), AgeBracket.ADULT);
		for (Person p : new Person[] { child, teen, adult }) {
			entry(p, "login.succeeded", now.minus(Duration.ofHours(2)));
		}

		Breach breach = this.breaches.record(draft(now), "admin");
		assertThat(this.breaches.select(breach.id(), window(now.minus(Duration.ofDays(1)), now), "admin")).isEqualTo(3);
		Breaches.Counts selected = this.breaches.counts(breach.id());
		assertThat(selected.minors()).isEqualTo(2);
		assertThat(selected.guardians()).isEqualTo(1);
		assertThat(selected.guardiansRead()).isZero();
		assertThat(this.jdbc.sql("SELECT details FROM audit_entry WHERE type = 'breach.selected' AND details LIKE :b")
			.param("b", "%" + breach.id() + "%frozen%")
			.query(String.class)
			.single()).contains("\"minors\":2");
		HttpResponse<String> api = api("GET", "/admin/api/breaches/" + breach.id(), null);
		assertThat(api.body()).contains("\"minors\":2").contains("\"guardians\":1");
		assertThat(consolePage("/admin/breaches/" + breach.id(), "en").body())
			.contains("data-testid=\"breach-minors\"").contains("data-minors=\"2\"");

		// nothing for the guardian before the notices start
		TestBrowser dashboard = browser();
		assertThat(guardianSignIn(dashboard, guardianPhone).body()).doesNotContain("data-testid=\"child-notice\"");
		this.breaches.startNotices(breach.id(), "admin");
		HttpResponse<String> page = dashboard.get("/login/guardian");
		assertThat(page.body()).contains("data-child=\"" + child.id() + "\"").contains("data-testid=\"child-notice\"");
		String href = "/login/guardian/children/" + child.id() + "/notices/" + breach.id();
		assertThat(page.body()).contains("href=\"" + href + "\"").contains("about your child");
		assertThat(dashboard.get("/login/guardian", "zh-CN").body()).contains("关于您孩子个人信息的重要通知");

		HttpResponse<String> notice = dashboard.get(href);
		assertThat(notice.statusCode()).isEqualTo(200);
		assertThat(notice.body()).contains("data-testid=\"breach-notice\"").contains(breach.contact())
			.contains("data-action=\"back-to-dashboard\"");
		dashboard.get(href); // opened twice, recorded once
		assertThat(this.breaches.counts(breach.id()).guardiansRead()).isEqualTo(1);
		assertThat(this.jdbc.sql("SELECT actor FROM audit_entry WHERE type = 'breach.notice-delivery' AND subject = :c "
				+ "AND details LIKE '%guardian%'")
			.param("c", child.id())
			.query(String.class)
			.list()).containsExactly(guardian);
		// the child's own notice is the child's to open
		assertThat(this.breaches.people(breach.id(), null, 100)
			.stream()
			.filter(p -> p.accountId().equals(child.id()))
			.findFirst()
			.orElseThrow()
			.inAppReadAt()).isNull();

		// another guardian, or nobody, sees nothing of it
		String otherPhone = "+86135" + String.format("%08d", (int) (Math.random() * 100_000_000));
		TestBrowser other = browser();
		guardianSignIn(other, otherPhone);
		assertThat(other.get(href).statusCode()).isEqualTo(404);
		assertThat(browser().get(href).statusCode()).isEqualTo(404);
		assertThat(dashboard.get("/login/guardian/children/" + child.id() + "/notices/BR-" + UUID.randomUUID())
			.statusCode()).isEqualTo(404);
	}

	/** The guardian signs in at /login/guardian with their phone and a code. */
	HttpResponse<String> guardianSignIn(TestBrowser browser, String phone) {
		this.clock.advance(Duration.ofSeconds(61));
		HttpResponse<String> page = browser.get("/login/guardian");
		HttpResponse<String> sent = browser.submit(page, "/login/guardian/send",
				PhoneConsentForm.agreed(page, Map.of("phone", phone)));
		String code = ((LogSmsSender) this.sms).latestPerPhone()
			.stream()
			.filter(m -> m.phone().equals(phone))
			.findFirst()
			.orElseThrow()
			.code();
		return browser.follow(browser.submit(sent, "/login/guardian/verify",
				PhoneConsentForm.agreed(sent, Map.of("phone", phone, "code", code))), null);
	}

	/**
	 * The guardian actor's digest, as the phone package computes it: its digest service is package-private (no other
	 * package has a use for it), so the test reaches it by reflection rather than by repeating the key handling.
	 */
	String phoneDigest(String e164) {
		try {
			Object digests = this.context.getBean("phoneDigests");
			Method phone = digests.getClass().getDeclaredMethod("phone", String.class);
			phone.setAccessible(true);
			return (String) phone.invoke(digests, e164);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
