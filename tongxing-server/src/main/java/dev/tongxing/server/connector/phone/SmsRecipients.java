package dev.tongxing.server.connector.phone;

import dev.tongxing.server.privacy.UpstreamRecipients;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Component;

/** The SMS provider texts the person's number its code: an entrusted processor (none for the log sender). */
@Component
class SmsRecipients implements UpstreamRecipients {

	private final SmsProperties sms;

	SmsRecipients(SmsProperties sms) {
		this.sms = sms;
	}

	@Override
	public List<Recipient> recipients() {
		SmsProperties.Sender sender = this.sms.sender();
		if (sender == null || sender == SmsProperties.Sender.LOG) {
			return List.of();
		}
		String name = switch (sender) {
			case TENCENT -> "Tencent Cloud SMS";
			case ALIYUN -> "Aliyun SMS";
			default -> "SMS webhook " + (this.sms.webhookUrl() == null ? "" : this.sms.webhookUrl().getHost());
		};
		return List.of(new Recipient("sms-provider", "sms-" + sender.name().toLowerCase(Locale.ROOT), name,
				"entrusted-processor", "privacy.recipient.sms.purpose", List.of("phone-number", "sms-codes")));
	}

}
