package dev.tongxing.server.complaint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A person's tickets, found through the account's phone numbers, are in their data export and go with the account. */
class AccountComplaintsTest extends ComplaintGatewayTest {

	@Autowired
	AccountService accounts;

	@Autowired
	AccountComplaints complaints;

	@Test
	void theTicketsOfTheAccountsPhoneAreExportedOpenedAndErasedWithIt() {
		String phone = "+86139" + String.format("%08d", (long) (Math.random() * 100_000_000L));
		String user = this.accounts
			.signIn(new ExternalIdentity("phone", List.of(new IdentityKey("phone", phone)), ExternalIdentity.Profile.EMPTY))
			.id();
		Opened mine = submit(phone, "The WeChat button does nothing on my phone.");
		Opened someoneElses = submit("+8613911112222", "Not this person's ticket at all.");

		@SuppressWarnings("unchecked")
		List<AccountComplaints.OwnTicket> exported = (List<AccountComplaints.OwnTicket>) this.complaints.export(user);
		assertThat(exported).singleElement().satisfies(ticket -> {
			assertThat(ticket.number()).isEqualTo(mine.number());
			assertThat(ticket.contact()).isEqualTo(phone);
			assertThat(ticket.description()).isEqualTo("The WeChat button does nothing on my phone.");
			assertThat(ticket.state()).isEqualTo("open");
		});

		this.complaints.erase(user);
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM complaint_ticket WHERE number = :n")
			.param("n", mine.number())
			.query(Long.class)
			.single()).isZero();
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM complaint_ticket WHERE number = :n")
			.param("n", someoneElses.number())
			.query(Long.class)
			.single()).isOne();
		assertThat((List<?>) this.complaints.export(user)).isEmpty();
	}

}
