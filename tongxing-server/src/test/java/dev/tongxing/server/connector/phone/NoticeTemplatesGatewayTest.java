package dev.tongxing.server.connector.phone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.breach.Breach;
import dev.tongxing.server.breach.BreachDraft;
import dev.tongxing.server.breach.Breaches;
import dev.tongxing.server.deletion.AccountDeletion;
import dev.tongxing.server.deletion.DeletionRequest;
import dev.tongxing.server.testing.FreePort;
import dev.tongxing.server.testing.GatewayNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The three notices that Tencent could not carry before, each going out from the whole gateway through a fake of
 * Tencent Cloud SMS with the operator's templates configured: the incident notice from the SMS queue, the
 * phone-change notice to the old number, and the deletion notice from the deletion job — each recorded as sent.
 */
class NoticeTemplatesGatewayTest {

	static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");

	static FakeTencentSms tencent;

	static GatewayNode node;

	@BeforeAll
	static void start() {
		tencent = new FakeTencentSms("AKIDtest", "tencent-secret", Clock.systemUTC());
		Map<String, Object> properties = new HashMap<>();
		properties.put("tongxing.sms.sender", "tencent");
		properties.put("tongxing.sms.tencent.secret-id", "AKIDtest");
		properties.put("tongxing.sms.tencent.secret-key", "tencent-secret");
		properties.put("tongxing.sms.tencent.sdk-app-id", "1400000001");
		properties.put("tongxing.sms.tencent.sign-name", "通行");
		properties.put("tongxing.sms.tencent.template-id", "1234567");
		properties.put("tongxing.sms.tencent.endpoint", tencent.uri().toString());
		properties.put("tongxing.sms.tencent.notice-templates.breach-notice", "2100001");
		properties.put("tongxing.sms.tencent.notice-templates.account-notice", "2100002");
		properties.put("tongxing.sms.tencent.notice-templates.deletion-notice", "2100003");
		// the jobs that send the incident and deletion notices look often
		properties.put("tongxing.breach.sms.interval", "PT1S");
		properties.put("tongxing.deletion.check-interval", "PT1S");
		int port = FreePort.find();
		node = GatewayNode.start("http://127.0.0.1:" + port, port, properties);
	}

	@AfterAll
	static void stop() {
		try {
			if (node != null) {
				node.close();
			}
		}
		finally {
			tencent.close();
		}
	}

	static String phone(String prefix) {
		return prefix + String.format("%08d", Math.floorMod(UUID.randomUUID().hashCode(), 100_000_000));
	}

	static String userWithPhone(String phone) {
		return node.bean(AccountService.class).signIn(new ExternalIdentity("phone", phone, null)).id();
	}

	/** Tencent's SendSms requests to this number with this template, waiting a while for a job to make them. */
	static List<JsonNode> sent(String phone, String templateId) throws InterruptedException {
		Predicate<JsonNode> wanted = r -> r.path("PhoneNumberSet").path(0).asString().equals(phone)
				&& r.path("TemplateId").asString().equals(templateId);
		Instant deadline = Instant.now().plusSeconds(20);
		while (tencent.accepted.stream().noneMatch(wanted) && Instant.now().isBefore(deadline)) {
			Thread.sleep(100);
		}
		return tencent.accepted.stream().filter(wanted).toList();
	}

	static List<String> params(JsonNode request) {
		List<String> params = new ArrayList<>();
		for (JsonNode param : request.path("TemplateParamSet")) {
			params.add(param.asString());
		}
		return params;
	}

	@Test
	void theIncidentNoticeGoesOutThroughItsTemplate() throws Exception {
		String phone = phone("+86139");
		String user = userWithPhone(phone);
		String client = "notice-templates-" + UUID.randomUUID().toString().substring(0, 8);
		Instant now = Instant.now();
		node.bean(AuditLog.class)
			.record(AuditEntry.of("login.succeeded").actor("user:" + user).subject(user).client(client)
				.at(now.minus(Duration.ofHours(1))));
		Breaches breaches = node.bean(Breaches.class);
		Breach breach = breaches.record(new BreachDraft(now.minus(Duration.ofHours(2)), now.minus(Duration.ofDays(1)),
				now.minus(Duration.ofHours(3)), List.of("phone-number"),
				new Breach.Text("日志服务器配置错误。", "A log server was misconfigured."),
				new Breach.Text("遗漏了一条防火墙规则。", "A firewall rule was left out."),
				new Breach.Text("可能收到诈骗短信。", "You may get scam messages."),
				new Breach.Text("已关闭外部访问。", "We closed the outside access."),
				new Breach.Text("不要透露验证码。", "Never share a code."), "privacy@tongxing.example"), "admin");
		assertThat(breaches.select(breach.id(),
				new Breach.Selection(now.minus(Duration.ofDays(1)), now, List.of("login.succeeded"), List.of(client),
						List.of()),
				"admin")).isEqualTo(1);
		breaches.startNotices(breach.id(), "admin");

		assertThat(sent(phone, "2100001")).singleElement()
			.satisfies(r -> assertThat(params(r)).containsExactly(
					DateTimeFormatter.ISO_LOCAL_DATE.format(breach.discoveredAt().atZone(BEIJING)), breach.id()));
		JdbcClient jdbc = node.bean(JdbcClient.class);
		Instant deadline = Instant.now().plusSeconds(10);
		String status = null;
		while (!"sent".equals(status) && Instant.now().isBefore(deadline)) {
			status = jdbc.sql("SELECT sms_status FROM breach_person WHERE breach_id = :b AND account_id = :a")
				.param("b", breach.id())
				.param("a", user)
				.query(String.class)
				.single();
			Thread.sleep(50);
		}
		assertThat(status).isEqualTo("sent");
	}

	@Test
	void thePhoneChangeNoticeGoesToTheOldNumberThroughItsTemplate() throws Exception {
		String old = phone("+86138");
		String wanted = phone("+86137");
		String user = userWithPhone(old);
		AccountService.LinkedIdentity bound = node.bean(AccountService.class)
			.identities(user)
			.stream()
			.filter(identity -> "phone".equals(identity.provider()))
			.findFirst()
			.orElseThrow();
		PhoneChanges changes = node.bean(PhoneChanges.class);
		PhoneChanges.Outcome outcome = changes.schedule(user, bound, wanted, Locale.SIMPLIFIED_CHINESE);
		assertThat(outcome).isInstanceOf(PhoneChanges.Scheduled.class);
		Instant due = ((PhoneChanges.Scheduled) outcome).dueAt();

		assertThat(sent(old, "2100002")).singleElement()
			.satisfies(r -> assertThat(params(r)).containsExactly(
					DateTimeFormatter.ISO_LOCAL_DATE.format(due.atZone(BEIJING)),
					DateTimeFormatter.ofPattern("HH:mm").format(due.atZone(BEIJING)),
					wanted.substring(wanted.length() - 4)));
		assertThat(tencent.accepted).noneMatch(r -> r.path("PhoneNumberSet").path(0).asString().equals(wanted));
		assertThat(node.bean(JdbcClient.class)
			.sql("SELECT details FROM audit_entry WHERE type = 'phone-change.notice' AND subject = :u")
			.param("u", user)
			.query(String.class)
			.list()).singleElement().asString().contains("\"outcome\":\"sent\"");
	}

	@Test
	void theDeletionNoticeGoesOutThroughItsTemplate() throws Exception {
		String phone = phone("+86135");
		String user = userWithPhone(phone);
		DeletionRequest request = node.bean(AccountDeletion.class).request(user, "system:withdrawn-consent-retention");

		assertThat(sent(phone, "2100003")).singleElement()
			.satisfies(r -> assertThat(params(r)).containsExactly(LocalDate.ofInstant(request.dueAt(), BEIJING).toString()));
		JdbcClient jdbc = node.bean(JdbcClient.class);
		Instant deadline = Instant.now().plusSeconds(10);
		String status = null;
		while (!"sent".equals(status) && Instant.now().isBefore(deadline)) {
			status = jdbc.sql("SELECT notice_status FROM deletion_request WHERE id = :id")
				.param("id", request.id())
				.query(String.class)
				.single();
			Thread.sleep(50);
		}
		assertThat(status).isEqualTo("sent");
	}

}
