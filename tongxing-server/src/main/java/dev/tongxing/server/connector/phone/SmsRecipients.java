package dev.tongxing.server.connector.phone;

import dev.tongxing.server.privacy.UpstreamRecipients;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Component;

/** The SMS providers text the person's number its code: entrusted processors (none for the log sender). */
@Component
class SmsRecipients implements UpstreamRecipients {

	private final SmsProperties sms;

	SmsRecipients(SmsProperties sms) {
		this.sms = sms;
	}

	@Override
	public List<Recipient> recipients() {
		return this.sms.inUse().stream().filter(sender -> sender != SmsProperties.Sender.LOG).map(sender -> {
			String name = switch (sender) {
				case TENCENT -> "Tencent Cloud SMS";
				case ALIYUN -> "Aliyun SMS";
				default -> "SMS webhook " + (this.sms.webhookUrl() == null ? "" : this.sms.webhookUrl().getHost());
			};
			return new Recipient("sms-provider", "sms-" + sender.name().toLowerCase(Locale.ROOT), name,
					"entrusted-processor", "privacy.recipient.sms.purpose", List.of("phone-number", "sms-codes"));
		}).toList();
	}

}
