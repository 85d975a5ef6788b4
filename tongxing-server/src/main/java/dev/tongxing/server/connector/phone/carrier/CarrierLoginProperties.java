package dev.tongxing.server.connector.phone.carrier;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tongxing.carrier-login.*}: one-tap carrier login (运营商一键登录). The app's carrier SDK (through Aliyun's
 * number-verification service, Dypnsapi) gives it a token for the device's own number; the app exchanges the
 * token at {@code /oauth2/token} and the gateway asks the service for the number behind it.
 *
 * @param enabled whether apps may sign in this way
 * @param endpoint the service's endpoint (Aliyun Dypnsapi; an emulator's URL in tests)
 * @param accessKeyId the RAM user's access key id, allowed {@code dypns:GetMobile}
 * @param accessKeySecret its secret
 * @param regionId the region the calls are signed for
 * @param timeout per call to the service
 */
@ConfigurationProperties("tongxing.carrier-login")
public record CarrierLoginProperties(@DefaultValue("false") boolean enabled,
		@DefaultValue("https://dypnsapi.aliyuncs.com/") URI endpoint, String accessKeyId, String accessKeySecret,
		@DefaultValue("cn-hangzhou") String regionId, @DefaultValue("5s") Duration timeout) {

	/** What is missing for it to work, as the gateway's start-up refusal names it. */
	java.util.List<String> problems() {
		if (!this.enabled) {
			return java.util.List.of();
		}
		java.util.List<String> problems = new java.util.ArrayList<>();
		if (this.accessKeyId == null || this.accessKeyId.isBlank()) {
			problems.add("tongxing.carrier-login.access-key-id is required when tongxing.carrier-login.enabled is true");
		}
		if (this.accessKeySecret == null || this.accessKeySecret.isBlank()) {
			problems.add("tongxing.carrier-login.access-key-secret is required when tongxing.carrier-login.enabled is true");
		}
		if (!"https".equals(this.endpoint.getScheme()) && !"http".equals(this.endpoint.getScheme())) {
			problems.add("tongxing.carrier-login.endpoint must be an http(s) URL");
		}
		return problems;
	}

}
