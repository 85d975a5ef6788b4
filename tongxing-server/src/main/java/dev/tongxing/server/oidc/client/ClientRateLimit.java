package dev.tongxing.server.oidc.client;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A client's own rate limits ({@code tongxing.clients[*].rate-limit}), overriding its tier's; each value
 * left out takes the tier's. Requests per second across the cluster.
 *
 * @param burst how many token requests may come at once (default: one second's worth)
 */
public record ClientRateLimit(Integer tokenRequestsPerSecond, Integer burst, Integer authorizationRequestsPerSecond,
		Integer introspectionRequestsPerSecond) {

	/** As stored in the client's settings: {@code key=value} pairs separated by spaces. */
	String toSetting() {
		Map<String, Integer> values = new LinkedHashMap<>();
		values.put("token-requests-per-second", this.tokenRequestsPerSecond);
		values.put("burst", this.burst);
		values.put("authorization-requests-per-second", this.authorizationRequestsPerSecond);
		values.put("introspection-requests-per-second", this.introspectionRequestsPerSecond);
		StringBuilder setting = new StringBuilder();
		values.forEach((key, value) -> {
			if (value != null) {
				setting.append(setting.isEmpty() ? "" : " ").append(key).append('=').append(value);
			}
		});
		return setting.toString();
	}

	static ClientRateLimit fromSetting(String setting) {
		Map<String, Integer> values = new LinkedHashMap<>();
		for (String pair : setting.trim().split("\\s+")) {
			int eq = pair.indexOf('=');
			if (eq > 0) {
				values.put(pair.substring(0, eq), Integer.valueOf(pair.substring(eq + 1)));
			}
		}
		return new ClientRateLimit(values.get("token-requests-per-second"), values.get("burst"),
				values.get("authorization-requests-per-second"), values.get("introspection-requests-per-second"));
	}

	/** @return a problem with the values, or null */
	String problem() {
		for (Integer value : new Integer[] { this.tokenRequestsPerSecond, this.burst,
				this.authorizationRequestsPerSecond, this.introspectionRequestsPerSecond }) {
			if (value != null && (value < 1 || value > 1_000_000)) {
				return "values must be 1-1000000 requests per second";
			}
		}
		return null;
	}

}
