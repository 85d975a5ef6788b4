package dev.tongxing.server.complaint;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Tickets are deleted, with everything attached, once their retention has passed (P180D by default). */
class ComplaintRetentionTest extends ComplaintGatewayTest {

	@Autowired
	ComplaintRetention retention;

	@Test
	void closedAndAbandonedTicketsAreDeletedAfterTheRetention() {
		failedWechatLogin(browser());
		Opened closedLongAgo = submit("13800138000", "closed long ago");
		assertThat(reply(closedLongAgo.number(), "Done.").statusCode()).isEqualTo(201);
		assertThat(admin("POST", "/admin/api/complaints/" + closedLongAgo.number() + "/close", null).statusCode())
			.isEqualTo(200);
		Opened abandoned = submit("a@example.com", "nobody ever answered or closed this one");

		this.clock.advance(Duration.ofDays(100));
		Opened recent = submit("b@example.com", "closed recently");
		assertThat(reply(recent.number(), "Fixed now.").statusCode()).isEqualTo(201);
		assertThat(admin("POST", "/admin/api/complaints/" + recent.number() + "/close", null).statusCode())
			.isEqualTo(200);
		assertThat(this.retention.purge()).isZero();

		this.clock.advance(Duration.ofDays(81)); // 181 days after the first two
		assertThat(this.retention.purge()).isEqualTo(2);
		assertThat(count("complaint_ticket")).isEqualTo(1);
		assertThat(count("complaint_message")).isEqualTo(1); // the old reply went with its ticket; the recent one stays
		assertThat(count("complaint_ticket_failure")).isZero();
		assertThat(admin("GET", "/admin/api/complaints/" + closedLongAgo.number(), null).statusCode()).isEqualTo(404);
		assertThat(browser().get(abandoned.path()).statusCode()).isEqualTo(404);
		assertThat(browser().get(recent.path()).statusCode()).isEqualTo(200);
		// the audit log keeps that they existed and were deleted, by number only
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE type = 'complaint.purged' AND details LIKE :n")
			.param("n", "%" + closedLongAgo.number() + "%")
			.query(Long.class)
			.single()).isEqualTo(1);

		this.clock.advance(Duration.ofDays(180));
		assertThat(this.retention.purge()).isEqualTo(1);
		assertThat(count("complaint_ticket")).isZero();
	}

	long count(String table) {
		return this.jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
	}


	@Test
	void aTicketNobodyAnsweredCannotBeClosed() {
		Opened unanswered = submit("c@example.com", "please answer before closing");
		String close = "/admin/api/complaints/" + unanswered.number() + "/close";
		assertThat(admin("POST", close, null).statusCode()).isEqualTo(409);
		assertThat(reply(unanswered.number(), "Sorry, we are looking into it.").statusCode()).isEqualTo(201);
		assertThat(admin("POST", close, null).statusCode()).isEqualTo(200);
	}

}
