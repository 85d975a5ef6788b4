package dev.tongxing.server.connector.phone;

import dev.tongxing.server.connector.UpstreamProbes;
import java.util.List;
import org.springframework.stereotype.Component;

/** The SMS provider's probe, when it has one (the log sender and "no sender" have none). */
@Component
class SmsProbes implements UpstreamProbes {

	private final SmsSender sender;

	SmsProbes(SmsSender sender) {
		this.sender = sender;
	}

	@Override
	public List<Probe> probes() {
		return this.sender.probe()
			.map(call -> List.of(new Probe("sms:" + this.sender.name(), "phone", call)))
			.orElse(List.of());
	}

}
