package dev.tongxing.server.login;

import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.audit.AuditTypes;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Every sign-in, succeeded or failed, in the audit log. */
@Component
public class LoginAuditing {

	private static final Logger log = LoggerFactory.getLogger(LoginAuditing.class);

	private static final Pattern IPV4 = Pattern.compile("(\\d{1,3}\\.\\d{1,3}\\.\\d{1,3})\\.\\d{1,3}");

	private final AuditLog audit;

	LoginAuditing(AuditLog audit) {
		this.audit = audit;
	}

	@EventListener
	void on(LoginAttempted attempt) {
		AuditEntry entry = AuditEntry.of(attempt.success() ? AuditTypes.LOGIN_SUCCEEDED : AuditTypes.LOGIN_FAILED)
			.actor(attempt.userId() == null ? null : "user:" + attempt.userId())
			.subject(attempt.userId())
			.detail("method", attempt.method())
			.detail("app", attempt.app())
			.detail("cause", attempt.cause())
			.detail("upstream_error", cut(attempt.upstreamError(), 200))
			.detail("network", network(attempt.clientIp()))
			.at(attempt.at());
		try {
			this.audit.record(entry);
		}
		catch (RuntimeException ex) {
			// the login has happened; an audit outage must not undo it, but it must be seen
			log.error("Could not record {} in the audit log", entry.type(), ex);
		}
	}

	/**
	 * The person's network rather than their address (a /24 or /48): enough to investigate abuse, and
	 * the log keeps it for years and can never delete it.
	 */
	public static String network(String ip) {
		if (ip == null) {
			return null;
		}
		var v4 = IPV4.matcher(ip);
		if (v4.matches()) {
			return v4.group(1) + ".0/24";
		}
		if (ip.indexOf(':') >= 0 && ip.matches("[0-9a-fA-F:.%\\[\\]]+")) {
			try {
				byte[] address = InetAddress.getByName(ip).getAddress(); // a literal: no DNS lookup
				if (address.length == 16) {
					return String.format("%x:%x:%x::/48", ((address[0] & 0xff) << 8) | (address[1] & 0xff),
							((address[2] & 0xff) << 8) | (address[3] & 0xff), ((address[4] & 0xff) << 8) | (address[5] & 0xff));
				}
			}
			catch (UnknownHostException ex) {
				return null;
			}
		}
		return null;
	}

	private static String cut(String value, int max) {
		return value == null || value.length() <= max ? value : value.substring(0, max);
	}

}
