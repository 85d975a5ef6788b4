package dev.tongxing.server.consent;

import dev.tongxing.server.crypto.Digests;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.Serializable;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Service;

/**
 * Separate consent to the phone number (PIPL Art. 29-30), asked on every page that collects it before the
 * number is typed or sent anywhere: the page shows {@link #notice()} (why the number is necessary and how its
 * processing affects the person) with a box of its own, and the number goes nowhere — not to the SMS provider,
 * not to a code check — until that box came back ticked for the current version.
 * <p>
 * On a login page nobody is signed in yet: the consent waits in the session and is recorded for the account
 * that signs in with the phone ({@link PhoneNumberConsentGate}), before any other step after sign-in. On
 * a signed-in page it is recorded at once. Either way the record names the notice and the version of each of
 * its texts. Native apps give it through the token request ({@link PhoneNumberConsentGate}).
 */
@Service
public class PhoneNumberConsent {

	public static final String NOTICE_ID = "phone-number";

	static final String SESSION = "tongxing.consent.phone-number";

	/** The consent of this browser session: the notice version and, once recorded, for whom. */
	record Given(String version, Instant at, String recordedFor) implements Serializable {
	}

	private final SeparateNotice notice;

	private final ConsentRecords records;

	private final PrivacyPolicies policies;

	private final Clock clock;

	PhoneNumberConsent(MessageSource messages, ConsentRecords records, PrivacyPolicies policies, Clock clock) {
		this.records = records;
		this.policies = policies;
		this.clock = clock;
		Map<String, String> necessity = texts(messages, "consent.notice.phone-number.necessity");
		Map<String, String> impact = texts(messages, "consent.notice.phone-number.impact");
		this.notice = new SeparateNotice(NOTICE_ID, necessity, impact, version(necessity), version(impact));
	}

	private static Map<String, String> texts(MessageSource messages, String key) {
		return Map.of("zh-CN", messages.getMessage(key, null, Locale.SIMPLIFIED_CHINESE), "en",
				messages.getMessage(key, null, Locale.ENGLISH));
	}

	private static String version(Map<String, String> texts) {
		return Digests.sha256Hex(texts.get("zh-CN") + "\n" + texts.get("en")).substring(0, 16);
	}

	/** The notice in force. */
	public SeparateNotice notice() {
		return this.notice;
	}

	/**
	 * Whether this browser session has the person's consent to the current notice. With a signed-in
	 * {@code subject}, a consent still waiting from a login page is recorded for them now.
	 */
	public boolean given(HttpServletRequest request, String subject) {
		HttpSession session = request.getSession(false);
		if (session == null || !(session.getAttribute(SESSION) instanceof Given given)
				|| !given.version().equals(this.notice.version())) {
			return false;
		}
		if (subject != null && !subject.equals(given.recordedFor())) {
			record(subject);
			session.setAttribute(SESSION, new Given(given.version(), given.at(), subject));
		}
		return true;
	}

	/**
	 * The person ticked the notice's box; {@code version} is what the form carried.
	 * @param subject the signed-in person the consent is recorded for now, or null on a login page (recorded
	 * once someone signs in with the phone)
	 * @return false, and nothing kept, unless {@code version} is the notice in force
	 */
	public boolean give(String version, HttpServletRequest request, String subject) {
		if (version == null || !version.equals(this.notice.version())) {
			return false;
		}
		if (subject != null) {
			record(subject);
		}
		request.getSession().setAttribute(SESSION, new Given(version, this.clock.instant(), subject));
		return true;
	}

	/** A login with the phone finished for {@code subject}: the consent waiting in the session is theirs. */
	void signedIn(String subject, HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		if (session != null && session.getAttribute(SESSION) instanceof Given given && given.recordedFor() == null
				&& given.version().equals(this.notice.version())) {
			record(subject);
			session.setAttribute(SESSION, new Given(given.version(), given.at(), subject));
		}
	}

	/**
	 * The privacy dialog's second confirmation of the phone number, for a new person who gave the phone page's
	 * consent before the number was sent: one record of both, naming the notice, made now.
	 * @return false when no consent from the phone page was waiting (the dialog records its own)
	 */
	boolean confirmedInDialog(String subject, HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		if (session == null || !(session.getAttribute(SESSION) instanceof Given given) || given.recordedFor() != null
				|| !given.version().equals(this.notice.version())) {
			return false;
		}
		record(subject, ConsentRecords.Method.DIALOG_CONFIRMED);
		session.setAttribute(SESSION, new Given(given.version(), given.at(), subject));
		return true;
	}

	/**
	 * Forgets a consent still waiting in the session, e.g. a guardian's to their own number, which must not be
	 * recorded for whoever signs in with a phone next.
	 */
	public void discardPending(HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		if (session != null && session.getAttribute(SESSION) instanceof Given given && given.recordedFor() == null) {
			session.removeAttribute(SESSION);
		}
	}

	/** Records the separate consent to the current notice. */
	void record(String subject) {
		record(subject, ConsentRecords.Method.SEPARATE_NOTICE);
	}

	void record(String subject, ConsentRecords.Method method) {
		this.records.record(ConsentRecords.Decision.of(subject, this.policies.current(), ConsentRecords.State.GIVEN)
			.purposes(ConsentRecords.Purpose.LOGIN, ConsentRecords.Purpose.ACCOUNT_RECOVERY)
			.dataCategories(java.util.List.of(ConsentRecords.Categories.PHONE_NUMBER))
			.notice(this.notice)
			.by(method)
			.build());
	}

}
