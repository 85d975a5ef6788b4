package dev.tongxing.server.analytics;

import dev.tongxing.server.crypto.PersonalDataCipher;
import dev.tongxing.server.login.LoginAttempted;
import dev.tongxing.server.login.LoginFailureCause;
import dev.tongxing.server.oidc.TokenIssued;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Counts logins for the analytics in this node's memory, from the login events ({@link LoginAttempted},
 * {@link TokenIssued}) and the login pages' requests ({@link FunnelFilter}); {@link RollupStore} adds them to
 * the roll-ups every {@code tongxing.analytics.flush-interval}. Nothing here may fail a login.
 */
@Component
class LoginAnalytics {

	private static final Logger log = LoggerFactory.getLogger(LoginAnalytics.class);

	static final String STARTED = LoginAnalytics.class.getName() + ".started";

	static final String RESOLVED = LoginAnalytics.class.getName() + ".resolved";

	/** The client the login page served, noted there: signing in consumes the saved authorization request. */
	static final String CLIENT = LoginAnalytics.class.getName() + ".client";

	static final String PSEUDONYM_PURPOSE = "analytics-person";

	/** The funnel's steps, in order. */
	static final java.util.List<String> STEPS = java.util.List.of("page_shown", "method_chosen", "upstream_answered",
			"account_resolved", "consent_given", "tokens_issued");

	/** Failures that mean the upstream gave no answer about the person. */
	private static final Set<LoginFailureCause> NO_ANSWER = EnumSet.of(LoginFailureCause.UPSTREAM_UNAVAILABLE,
			LoginFailureCause.NETWORK, LoginFailureCause.OUR_CONFIGURATION, LoginFailureCause.APP_CREDENTIALS_INVALID,
			LoginFailureCause.APP_NOT_AUTHORISED, LoginFailureCause.UPSTREAM_RATE_LIMITED,
			LoginFailureCause.UPSTREAM_QUOTA);

	private static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";

	private final Clock clock;

	private final PersonalDataCipher cipher;

	private PendingCounts pending = new PendingCounts();

	/** Accounts signed in in a browser whose code is not yet exchanged: user → (client, platform). */
	private final Map<String, String[]> awaitingTokens = new LinkedHashMap<>(16, 0.75f, false) {
		@Override
		protected boolean removeEldestEntry(Map.Entry<String, String[]> eldest) {
			return size() > 10_000;
		}
	};

	LoginAnalytics(Clock clock, PersonalDataCipher cipher) {
		this.clock = clock;
		this.cipher = cipher;
	}

	/** The counts held so far, leaving a fresh set in their place (for the flush). */
	synchronized PendingCounts drain() {
		PendingCounts drained = this.pending;
		this.pending = new PendingCounts();
		return drained;
	}

	/**
	 * Attempts and successes per method that this node counted since {@code since} and has not flushed yet (a few
	 * map entries, read under the lock).
	 */
	synchronized Map<String, long[]> unflushedByMethod(Instant since) {
		Map<String, long[]> byMethod = new java.util.HashMap<>();
		this.pending.logins.forEach((dims, tally) -> {
			if (!dims.hour().isBefore(since)) {
				long[] t = byMethod.computeIfAbsent(dims.method(), k -> new long[2]);
				t[0] += tally.attempts;
				t[1] += tally.successes;
			}
		});
		return byMethod;
	}

	/** Drops a person's sign-ins not yet flushed (the account is being deleted). */
	synchronized void forget(String pid) {
		this.pending.seen.values().removeIf(seen -> seen.pid().equals(pid));
	}

	/** Puts back counts a flush could not write, to be tried again with the next. */
	synchronized void restore(PendingCounts failed) {
		PendingCounts now = this.pending;
		this.pending = failed;
		now.logins.forEach((d, t) -> {
			PendingCounts.Tally tally = failed.logins.computeIfAbsent(d, k -> new PendingCounts.Tally());
			tally.attempts += t.attempts;
			tally.successes += t.successes;
		});
		now.causes.forEach((k, v) -> failed.causes.merge(k, v, Long::sum));
		now.latency.forEach((k, v) -> failed.latency.merge(k, v, Long::sum));
		now.funnel.forEach((k, v) -> failed.funnel.merge(k, v, Long::sum));
		now.sms.forEach((k, v) -> failed.sms.merge(k, v, Long::sum));
		now.seen.forEach(failed.seen::putIfAbsent);
	}

	@EventListener
	void on(LoginAttempted attempt) {
		try {
			record(attempt);
		}
		catch (RuntimeException ex) {
			log.warn("Could not count a login for the analytics: {}", ex.toString());
		}
	}

	private void record(LoginAttempted attempt) {
		HttpServletRequest request = currentRequest();
		boolean tokenEndpoint = request != null && request.getRequestURI().startsWith("/oauth2/token");
		String client = tokenEndpoint ? tokenClient() : browserClient(request);
		String platform = Platform.of(request, tokenEndpoint).key;
		Instant now = this.clock.instant();
		Instant hour = now.truncatedTo(ChronoUnit.HOURS);
		PendingCounts.Dims dims = new PendingCounts.Dims(hour, dim(attempt.method(), 80), dim(attempt.app(), 80),
				dim(client, 100), platform);
		Long millis = null;
		HttpSession session = request == null ? null : request.getSession(false);
		if (session != null && session.getAttribute(STARTED) instanceof Instant started) {
			session.removeAttribute(STARTED);
			millis = Math.max(0, Duration.between(started, now).toMillis());
		}
		String pid = attempt.success() && attempt.userId() != null
				? this.cipher.lookupHash(PSEUDONYM_PURPOSE, attempt.userId()) : null;
		boolean answered = attempt.success() || attempt.cause() == null || !NO_ANSWER.contains(attempt.cause());
		synchronized (this) {
			PendingCounts counts = this.pending;
			PendingCounts.Tally tally = counts.logins.computeIfAbsent(dims, k -> new PendingCounts.Tally());
			tally.attempts++;
			if (attempt.success()) {
				tally.successes++;
			}
			else {
				String cause = attempt.cause() == null ? "unknown" : attempt.cause().name().toLowerCase(java.util.Locale.ROOT);
				counts.causes.merge(new PendingCounts.Cause(dims, cause), 1L, Long::sum);
			}
			if (millis != null) {
				counts.latency.merge(new PendingCounts.Bin(dims, LatencyBins.bin(millis)), 1L, Long::sum);
			}
			if (answered) {
				step(counts, hour, dims.client(), platform, "upstream_answered");
			}
			if (attempt.success()) {
				step(counts, hour, dims.client(), platform, "account_resolved");
				if (tokenEndpoint) { // an app's token exchange: the native gates admitted the login
					step(counts, hour, dims.client(), platform, "consent_given");
				}
			}
			if (pid != null) {
				counts.seen.putIfAbsent(pid + "|" + now.atOffset(ZoneOffset.UTC).toLocalDate(),
						new PendingCounts.Seen(pid, now.atOffset(ZoneOffset.UTC).toLocalDate(), dims.method()));
			}
		}
		if (attempt.success() && session != null && !tokenEndpoint) {
			session.setAttribute(RESOLVED, attempt.userId());
		}
	}

	@EventListener
	void on(TokenIssued issued) {
		try {
			String[] waiting = null;
			boolean exchange = TOKEN_EXCHANGE.equals(issued.grantType());
			if ("authorization_code".equals(issued.grantType())) {
				synchronized (this) {
					waiting = this.awaitingTokens.remove(issued.subject());
				}
			}
			if (waiting == null && !exchange) {
				return; // a refresh, client credentials, or a code from a session signed in earlier
			}
			String client = dim(issued.clientId(), 100);
			String platform = waiting != null ? waiting[1] : Platform.of(currentRequest(), true).key;
			step(this.clock.instant().truncatedTo(ChronoUnit.HOURS), client, platform, "tokens_issued");
		}
		catch (RuntimeException ex) {
			log.warn("Could not count issued tokens for the analytics: {}", ex.toString());
		}
	}

	/**
	 * The login page was shown: the clock for the time to sign in starts (if not already running). A visit
	 * without a session (no authorization request saved, a probe, a crawler) opens none: the login page must
	 * stay free of server state, so such a visit's clock starts when a method is chosen.
	 */
	void pageShown(HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		if (session == null) {
			step(request, "page_shown");
			return;
		}
		if (!(session.getAttribute(STARTED) instanceof Instant)) {
			session.setAttribute(STARTED, this.clock.instant());
		}
		String client = savedClient(session);
		if (client != null) {
			session.setAttribute(CLIENT, client);
		}
		step(request, "page_shown");
	}

	/** A method was chosen; a retry after a failure starts the clock again here. */
	void methodChosen(HttpServletRequest request) {
		HttpSession session = request.getSession(true);
		if (!(session.getAttribute(STARTED) instanceof Instant)) {
			session.setAttribute(STARTED, this.clock.instant());
		}
		step(request, "method_chosen");
	}

	/** An authorization code left for the client: counted when the session signed in just before. */
	void codeIssued(HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		if (session == null || !(session.getAttribute(RESOLVED) instanceof String userId)) {
			return;
		}
		session.removeAttribute(RESOLVED);
		String client = dim(request.getParameter("client_id"), 100);
		String platform = Platform.of(request, false).key;
		step(this.clock.instant().truncatedTo(ChronoUnit.HOURS), client, platform, "consent_given");
		synchronized (this) {
			this.awaitingTokens.put(userId, new String[] { client, platform });
		}
	}

	/** Text messages a provider accepted, counted from the SMS meter at each flush. */
	synchronized void smsSent(Instant hour, String provider, long messages) {
		this.pending.sms.merge(new PendingCounts.Sms(hour, dim(provider, 40)), messages, Long::sum);
	}

	private void step(HttpServletRequest request, String step) {
		step(this.clock.instant().truncatedTo(ChronoUnit.HOURS), dim(browserClient(request), 100),
				Platform.of(request, false).key, step);
	}

	private synchronized void step(Instant hour, String client, String platform, String step) {
		step(this.pending, hour, client, platform, step);
	}

	private static void step(PendingCounts counts, Instant hour, String client, String platform, String step) {
		counts.funnel.merge(new PendingCounts.Step(hour, client, platform, step), 1L, Long::sum);
	}

	private static HttpServletRequest currentRequest() {
		return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
				? attributes.getRequest() : null;
	}

	private static String tokenClient() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		return authentication instanceof OAuth2ClientAuthenticationToken client && client.getRegisteredClient() != null
				? client.getRegisteredClient().getClientId() : null;
	}

	/** The client whose authorization request the browser's login serves. */
	static String browserClient(HttpServletRequest request) {
		HttpSession session = request == null ? null : request.getSession(false);
		if (session == null) {
			return null;
		}
		String saved = savedClient(session);
		if (saved != null) {
			return saved;
		}
		return session.getAttribute(CLIENT) instanceof String noted ? noted : null;
	}

	private static String savedClient(HttpSession session) {
		java.util.Enumeration<String> names = session.getAttributeNames();
		while (names.hasMoreElements()) {
			if (session.getAttribute(names.nextElement()) instanceof SavedRequest saved) {
				String[] ids = saved.getParameterValues("client_id");
				if (ids != null && ids.length > 0) {
					return ids[0];
				}
			}
		}
		return null;
	}

	static String dim(String value, int max) {
		if (value == null || value.isBlank()) {
			return "-";
		}
		return value.length() > max ? value.substring(0, max) : value;
	}

}
