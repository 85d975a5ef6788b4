package dev.tongxing.server.connector.phone;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.breach.NoticeSms;
import dev.tongxing.server.kernel.PersonNotices;
import java.time.LocalDate;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Notices to the person's bound phone, through the same path as incident notices: as written by a provider that
 * sends text, through the kind's approved template by Tencent or Aliyun when one is configured.
 */
@Component
class PhonePersonNotices implements PersonNotices {

	private final AccountService accounts;

	private final BreachNoticeSms sms;

	PhonePersonNotices(AccountService accounts, BreachNoticeSms sms) {
		this.accounts = accounts;
		this.sms = sms;
	}

	@Override
	public Outcome sendDeletion(String accountId, String text, LocalDate day) {
		return phone(accountId).map(phone -> send(NoticeKind.DELETION.message(phone, text, day.toString())))
			.orElse(Outcome.NO_CHANNEL);
	}

	private Optional<String> phone(String accountId) {
		return this.accounts.identities(accountId)
			.stream()
			.filter(identity -> "phone".equals(identity.provider()))
			.map(AccountService.LinkedIdentity::key)
			.findFirst();
	}

	private Outcome send(SmsMessage notice) {
		NoticeSms.Outcome outcome;
		try {
			outcome = this.sms.deliver(notice);
		}
		catch (RuntimeException unknown) {
			return Outcome.UNCERTAIN;
		}
		return switch (outcome) {
			case NoticeSms.Sent sent -> Outcome.SENT;
			case NoticeSms.Uncertain uncertain -> Outcome.UNCERTAIN;
			case NoticeSms.Refused refused -> Outcome.REFUSED;
			case NoticeSms.Throttled throttled -> Outcome.LATER;
		};
	}

}
