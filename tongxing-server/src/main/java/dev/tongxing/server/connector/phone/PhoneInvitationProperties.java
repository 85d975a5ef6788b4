package dev.tongxing.server.connector.phone;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The invitation to bind a phone after a WeChat sign-in, under {@code tongxing.phone.invitation.*}.
 *
 * @param coolDown how long a "Not now" keeps the invitation away (default 48 h). Never below 24 h: a person who
 * said no is not asked again the same day (网络数据安全管理条例 Art. 22; MIIT rules on repeated requests), so a
 * shorter value stops the gateway at start-up rather than being quietly raised.
 */
@ConfigurationProperties("tongxing.phone.invitation")
public record PhoneInvitationProperties(@DefaultValue("48h") Duration coolDown) {

	public static final Duration MINIMUM_COOL_DOWN = Duration.ofHours(24);

	public PhoneInvitationProperties {
		if (coolDown.compareTo(MINIMUM_COOL_DOWN) < 0) {
			throw new IllegalArgumentException("tongxing.phone.invitation.cool-down must be at least 24h (was "
					+ coolDown + "): a refusal is never asked again within a day");
		}
	}

}
