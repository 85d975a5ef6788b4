package dev.tongxing.server.connector.phone;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.breach.NoticeSms;
import dev.tongxing.server.kernel.PersonNotices;
import org.springframework.stereotype.Component;

/**
 * Notices to the person's bound phone, through the same text path as incident notices (only a provider that sends
 * text as written can carry one; Tencent's and Aliyun's code templates cannot).
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
	public Outcome send(String accountId, String text) {
		var phone = this.accounts.identities(accountId)
			.stream()
			.filter(identity -> "phone".equals(identity.provider()))
			.map(AccountService.LinkedIdentity::key)
			.findFirst();
		if (phone.isEmpty()) {
			return Outcome.NO_CHANNEL;
		}
		NoticeSms.Outcome outcome;
		try {
			outcome = this.sms.send(phone.get(), text);
		}
		catch (RuntimeException unknown) {
			return Outcome.UNCERTAIN;
		}
		return switch (outcome) {
			case NoticeSms.Sent sent -> Outcome.SENT;
			case NoticeSms.Uncertain uncertain -> Outcome.UNCERTAIN;
			case NoticeSms.Refused refused -> Outcome.REFUSED;
			case NoticeSms.Throttled throttled -> Outcome.REFUSED;
		};
	}

}
