package dev.tongxing.server.complaint;

import dev.tongxing.server.crypto.PersonalDataCipher;
import dev.tongxing.server.login.LoginAttempted;
import dev.tongxing.server.login.LoginFailureCause;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Remembers recent failed logins with keyed hashes of the browser session and the client address, so a
 * ticket can carry the failures that belong to the person who opens it.
 * <p>
 * Which failures are "theirs": those of the same browser session within
 * {@code tongxing.complaints.failures.session-window} (strong evidence: the cookie that failed is the one
 * complaining; a day, since people come back to complain later), and those from the same client address within
 * the shorter {@code address-window} (weak evidence: carrier-grade NAT and shared Wi-Fi put many people
 * behind one address, but a person whose session was lost, e.g. in another browser, is still found). Each
 * attached failure says how it matched. A wrong match costs little: the records hold no personal data
 * (method, app, cause, upstream error), only someone else's failure shown to an operator.
 * <p>
 * The ops package keeps the same failures without any address (on purpose), so this package keeps its own
 * short-lived trail rather than widening that table.
 */
@Component
class LoginTrail {

	private static final Logger log = LoggerFactory.getLogger(LoginTrail.class);

	static final String SESSION_PURPOSE = "complaint-session";

	static final String ADDRESS_PURPOSE = "complaint-address";

	private final JdbcClient jdbc;

	private final Clock clock;

	private final PersonalDataCipher cipher;

	private final ComplaintProperties.Failures settings;

	/** Our insert on its own: a login's own transaction, if any, must not be aborted by it. */
	private final TransactionTemplate own;

	LoginTrail(JdbcClient jdbc, Clock clock, PersonalDataCipher cipher, ComplaintProperties properties,
			PlatformTransactionManager transactions) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.cipher = cipher;
		this.settings = properties.failures();
		this.own = new TransactionTemplate(transactions);
		this.own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	/** A failed login attached to a ticket; {@code matchedBy} is {@code session} or {@code address}. */
	record Failure(Instant at, String method, String app, LoginFailureCause cause, String upstreamError,
			String matchedBy) {
	}

	/** Who is asking: hashes of the browser session and the client address (either may be null). */
	record Person(String sessionHash, String addressHash) {
	}

	@EventListener
	void on(LoginAttempted attempt) {
		if (attempt.success() || attempt.cause() == null) {
			return;
		}
		Person person = person(currentRequest(), attempt.clientIp());
		if (person.sessionHash() == null && person.addressHash() == null) {
			return; // a server-to-server login (native apps): nobody to attach it to
		}
		try {
			this.own.executeWithoutResult(status -> this.jdbc.sql("""
					INSERT INTO complaint_login_trail
					    (occurred_at, method, app, cause, upstream_error, session_hash, address_hash)
					VALUES (:at, :method, :app, :cause, :error, :session, :address)""")
				.param("at", this.clock.instant().atOffset(ZoneOffset.UTC))
				.param("method", truncate(attempt.method(), 80))
				.param("app", truncate(attempt.app(), 80))
				.param("cause", attempt.cause().name())
				.param("error", truncate(attempt.upstreamError(), 300))
				.param("session", person.sessionHash())
				.param("address", person.addressHash())
				.update());
		}
		catch (RuntimeException ex) { // recording must never fail the login
			log.warn("Could not keep a failed login for complaint tickets: {}", ex.toString());
		}
	}

	/** The person behind a request: its existing session (never created here) and the given address. */
	Person person(HttpServletRequest request, String clientIp) {
		String sessionHash = null;
		if (request != null) {
			HttpSession session = request.getSession(false);
			if (session != null) {
				sessionHash = this.cipher.lookupHash(SESSION_PURPOSE, session.getId());
			}
		}
		// only the address the login reported: a token request from an app's backend is not the person's
		return new Person(sessionHash, clientIp == null ? null : this.cipher.lookupHash(ADDRESS_PURPOSE, clientIp));
	}

	/** The person's recent failures, newest first: by session within its window, else by address within its own. */
	List<Failure> recentFailures(Person person) {
		Instant now = this.clock.instant();
		return this.jdbc.sql("""
				SELECT occurred_at, method, app, cause, upstream_error,
				       CASE WHEN session_hash = :session AND occurred_at >= :sessionFrom THEN 'session' ELSE 'address' END
				           AS matched_by
				FROM complaint_login_trail
				WHERE (session_hash = :session AND occurred_at >= :sessionFrom)
				   OR (address_hash = :address AND occurred_at >= :addressFrom)
				ORDER BY occurred_at DESC, id DESC""")
			.param("session", person.sessionHash() == null ? "-" : person.sessionHash())
			.param("sessionFrom", now.minus(this.settings.sessionWindow()).atOffset(ZoneOffset.UTC))
			.param("address", person.addressHash() == null ? "-" : person.addressHash())
			.param("addressFrom", now.minus(this.settings.addressWindow()).atOffset(ZoneOffset.UTC))
			.query((rs, i) -> new Failure(rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
					rs.getString("method"), rs.getString("app"), LoginFailureCause.valueOf(rs.getString("cause")),
					rs.getString("upstream_error"), rs.getString("matched_by")))
			.list()
			.stream()
			.limit(this.settings.maxAttached())
			.toList();
	}

	/** Every node runs it; deleting the same old rows twice is harmless. */
	@Scheduled(initialDelayString = "PT2M", fixedDelayString = "PT10M")
	void purge() {
		this.jdbc.sql("DELETE FROM complaint_login_trail WHERE occurred_at < :t")
			.param("t", this.clock.instant().minus(this.settings.longest()).atOffset(ZoneOffset.UTC))
			.update();
	}

	private static HttpServletRequest currentRequest() {
		return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
				? attributes.getRequest() : null;
	}

	private static String truncate(String value, int max) {
		return value == null || value.length() <= max ? value : value.substring(0, max);
	}

}
