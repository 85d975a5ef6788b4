package dev.tongxing.server.connector.phone.carrier;

import dev.tongxing.server.privacy.UpstreamRecipients;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Aliyun's number verification tells the gateway the number behind a carrier token: an entrusted processor
 * of the phone number, listed while one-tap login is enabled.
 */
@Component
class CarrierRecipients implements UpstreamRecipients {

	private final CarrierLoginProperties properties;

	CarrierRecipients(CarrierLoginProperties properties) {
		this.properties = properties;
	}

	@Override
	public List<Recipient> recipients() {
		if (!this.properties.enabled()) {
			return List.of();
		}
		return List.of(new Recipient("carrier-number-verification", "carrier-aliyun", "Aliyun Phone Number Verification Service",
				"entrusted-processor", "privacy.recipient.carrier.purpose", List.of("phone-number")));
	}

}
