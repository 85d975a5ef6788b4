package dev.tongxing.server.deletion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.connector.phone.LogSmsSender;
import dev.tongxing.server.connector.phone.SmsSender;
import dev.tongxing.server.events.SecurityEvents;
import dev.tongxing.server.testing.GatewayTest;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * PIPL Art. 47 (item 6 of the compliance pass): a deletion the person did not ask for — the withdrawn-consent
 * rule's, an operator's — is announced to them by SMS before it is carried out, with the day it will happen and
 * how to keep the account; at most once, each outcome on record. The person's own request needs no notice.
 */
class Pipl47DeletionNoticeTest extends GatewayTest {

	@Autowired
	AccountDeletion deletion;

	@Autowired
	DeletionNotices notices;

	@Autowired
	AccountService accounts;

	@Autowired
	SmsSender sms;

	@Autowired
	JdbcClient jdbc;

	String withPhone(String phone) {
		return this.accounts.signIn(new ExternalIdentity("phone", phone, null)).id();
	}

	static String phone() {
		return "+86135" + String.format("%08d", Math.floorMod(UUID.randomUUID().hashCode(), 100_000_000));
	}

	List<LogSmsSender.Delivered> to(String phone) {
		return ((LogSmsSender) this.sms).latestPerPhone().stream().filter(d -> d.phone().equals(phone)).toList();
	}

	String status(String requestId) {
		return this.jdbc.sql("SELECT notice_status FROM deletion_request WHERE id = :id")
			.param("id", requestId)
			.query((rs, i) -> java.util.Optional.ofNullable(rs.getString(1)))
			.single()
			.orElse(null);
	}

	@Test
	void theRulesDeletionIsAnnouncedOnceAndThePersonsOwnIsNot() {
		String phone = phone();
		String user = withPhone(phone);
		DeletionRequest request = this.deletion.request(user, "system:withdrawn-consent-retention");
		assertThat(status(request.id())).isEqualTo("pending");

		this.notices.sendDue();
		assertThat(status(request.id())).isEqualTo("sent");
		String day = LocalDate.ofInstant(request.dueAt(), ZoneId.of("Asia/Shanghai")).toString();
		assertThat(to(phone)).singleElement().satisfies(sms -> assertThat(sms.text()).contains("撤回")
			.contains(day)
			.contains("重新同意"));
		this.notices.sendDue(); // once only
		assertThat(to(phone)).hasSize(1);
		assertThat(this.jdbc.sql("""
				SELECT details FROM audit_entry WHERE type = 'deletion.step' AND subject = :u AND details LIKE '%"notice"%'""")
			.param("u", user)
			.query(String.class)
			.list()).singleElement().asString().contains("\"outcome\":\"sent\"");

		// an operator's deletion is announced too, in its own words
		String other = phone();
		DeletionRequest byOperator = this.deletion.request(withPhone(other), "operator:admin", SecurityEvents.Initiator.ADMIN);
		this.notices.sendDue();
		assertThat(status(byOperator.id())).isEqualTo("sent");
		assertThat(to(other)).singleElement().satisfies(sms -> assertThat(sms.text()).contains("已被申请注销"));

		// the person's own request: nothing to announce
		String own = phone();
		DeletionRequest mine = this.deletion.request(withPhone(own), "user:self");
		this.notices.sendDue();
		assertThat(status(mine.id())).isNull();
		assertThat(to(own)).isEmpty();

		// nobody to text: recorded as such, not retried
		String noPhone = this.accounts.signIn(new ExternalIdentity("dev", "n" + UUID.randomUUID(), "N")).id();
		DeletionRequest silent = this.deletion.request(noPhone, "system:withdrawn-consent-retention");
		this.notices.sendDue();
		assertThat(status(silent.id())).isEqualTo("no-channel");
	}

	@Test
	void aNoticeClaimedByANodeThatDiedIsNeverSentAgain() {
		String phone = phone();
		DeletionRequest request = this.deletion.request(withPhone(phone), "system:withdrawn-consent-retention");
		// the node claimed it and died before the provider answered
		this.jdbc.sql("UPDATE deletion_request SET notice_status = 'sending' WHERE id = :id").param("id", request.id()).update();
		this.notices.sendDue();
		assertThat(status(request.id())).isEqualTo("sending");
		assertThat(to(phone)).isEmpty();
	}

}
