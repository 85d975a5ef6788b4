package dev.tongxing.server.residency;

import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tongxing.residency.*}: where personal data may live and go (PIPL Art. 38–40: it stays in mainland
 * China unless a cross-border basis exists).
 *
 * @param allowedRegions the regions personal data may be stored in or sent to (lower-case, e.g. {@code cn})
 * @param stores the region of each place that holds personal data, by name ({@code database}, {@code sms},
 * {@code redis}, …); the gateway's own stores default to {@code cn}
 */
@ConfigurationProperties("tongxing.residency")
public record ResidencyProperties(@DefaultValue("cn") List<String> allowedRegions,
		@DefaultValue Map<String, String> stores) {

}
