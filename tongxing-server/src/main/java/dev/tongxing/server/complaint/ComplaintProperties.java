package dev.tongxing.server.complaint;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The complaint desk, under {@code tongxing.complaints.*}.
 *
 * @param firstResponse how soon an operator must first answer a ticket (MIIT: within 2 hours)
 * @param escalateBefore how long before that deadline a still unanswered ticket is escalated ("near")
 * @param checkInterval how often each node looks for tickets to escalate
 * @param retention how long a ticket is kept after it was closed (or after its last activity)
 * @param escalation where escalations go
 * @param failures which recent failed logins are attached to a new ticket
 * @param limits how many tickets one address or contact may open
 * @param zone the time zone of the times people type and read on the desk's pages
 */
@ConfigurationProperties("tongxing.complaints")
public record ComplaintProperties(@DefaultValue("PT2H") Duration firstResponse,
		@DefaultValue("PT30M") Duration escalateBefore, @DefaultValue("PT1M") Duration checkInterval,
		@DefaultValue("P180D") Duration retention, @DefaultValue Escalation escalation, @DefaultValue Failures failures,
		@DefaultValue Limits limits, @DefaultValue("Asia/Shanghai") ZoneId zone) {

	public ComplaintProperties {
		List<String> problems = new ArrayList<>();
		if (firstResponse.compareTo(Duration.ofMinutes(5)) < 0 || firstResponse.compareTo(Duration.ofDays(15)) > 0) {
			problems.add("first-response must be between PT5M and P15D (MIIT asks for PT2H)");
		}
		if (escalateBefore.isNegative() || escalateBefore.compareTo(firstResponse) >= 0) {
			problems.add("escalate-before must be at least 0 and shorter than first-response");
		}
		if (checkInterval.compareTo(Duration.ofSeconds(5)) < 0 || checkInterval.compareTo(Duration.ofMinutes(15)) > 0) {
			problems.add("check-interval must be between PT5S and PT15M");
		}
		if (retention.compareTo(Duration.ofDays(1)) < 0) {
			problems.add("retention must be at least P1D");
		}
		if (!problems.isEmpty()) {
			throw new IllegalArgumentException("tongxing.complaints: " + String.join("; ", problems));
		}
	}

	/**
	 * @param webhookUrl receives a POST of JSON for each escalation (no personal data); none: escalations are
	 * only logged and counted
	 * @param region where the receiver is, for the residency guard
	 * @param timeout connect and response timeout of one call
	 * @param attempts calls per escalation before it counts as failed (spread over the checks)
	 */
	public record Escalation(URI webhookUrl, @DefaultValue("cn") String region, @DefaultValue("5s") Duration timeout,
			@DefaultValue("5") int attempts) {

		public Escalation {
			if (webhookUrl != null && (!webhookUrl.isAbsolute()
					|| !("https".equals(webhookUrl.getScheme()) || "http".equals(webhookUrl.getScheme())))) {
				throw new IllegalArgumentException(
						"tongxing.complaints.escalation.webhook-url must be an absolute http(s) URL");
			}
			if (region == null || region.isBlank()) {
				throw new IllegalArgumentException("tongxing.complaints.escalation.region must name a region (e.g. cn)");
			}
			if (timeout.compareTo(Duration.ofMillis(100)) < 0 || timeout.compareTo(Duration.ofSeconds(60)) > 0) {
				throw new IllegalArgumentException("tongxing.complaints.escalation.timeout must be between 100ms and 60s");
			}
			if (attempts < 1 || attempts > 20) {
				throw new IllegalArgumentException("tongxing.complaints.escalation.attempts must be between 1 and 20");
			}
		}
	}

	/**
	 * @param sessionWindow failures in the same browser session this far back are attached
	 * @param addressWindow failures from the same client address (weaker evidence: NAT, shared Wi-Fi) this far
	 * back are attached
	 * @param maxAttached at most this many, newest first
	 */
	public record Failures(@DefaultValue("PT24H") Duration sessionWindow, @DefaultValue("PT1H") Duration addressWindow,
			@DefaultValue("20") int maxAttached) {

		public Failures {
			if (sessionWindow.isNegative() || sessionWindow.compareTo(Duration.ofDays(7)) > 0
					|| addressWindow.isNegative() || addressWindow.compareTo(Duration.ofDays(7)) > 0) {
				throw new IllegalArgumentException(
						"tongxing.complaints.failures.session-window and address-window must be between 0 and P7D");
			}
			if (maxAttached < 0 || maxAttached > 100) {
				throw new IllegalArgumentException("tongxing.complaints.failures.max-attached must be between 0 and 100");
			}
		}

		Duration longest() {
			return this.sessionWindow.compareTo(this.addressWindow) >= 0 ? this.sessionWindow : this.addressWindow;
		}
	}

	/**
	 * @param perAddressPerHour tickets one client address may open in any hour
	 * @param perContactPerDay tickets one contact may open in any 24 hours
	 */
	public record Limits(@DefaultValue("5") int perAddressPerHour, @DefaultValue("3") int perContactPerDay) {

		public Limits {
			if (perAddressPerHour < 1 || perContactPerDay < 1) {
				throw new IllegalArgumentException("tongxing.complaints.limits.* must be at least 1");
			}
		}
	}

}
