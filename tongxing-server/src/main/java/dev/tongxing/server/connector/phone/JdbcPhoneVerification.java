package dev.tongxing.server.connector.phone;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Codes and send limits kept in the database, so any node can check a code another node sent and the
 * limits hold across the cluster.
 */
@Service
class JdbcPhoneVerification implements PhoneVerification {

	private static final Logger log = LoggerFactory.getLogger(JdbcPhoneVerification.class);

	private static final SecureRandom RANDOM = new SecureRandom();

	private final PhoneNumbers numbers;

	private final PhoneCodes codes;

	private final PhoneDigests digests;

	private final SmsSender sender;

	private final SmsTexts texts;

	private final PhoneProperties properties;

	private final TransactionTemplate tx;

	private final Clock clock;

	JdbcPhoneVerification(PhoneNumbers numbers, PhoneCodes codes, PhoneDigests digests, SmsSender sender,
			SmsTexts texts, PhoneProperties properties, TransactionTemplate tx, Clock clock) {
		this.numbers = numbers;
		this.codes = codes;
		this.digests = digests;
		this.sender = sender;
		this.texts = texts;
		this.properties = properties;
		this.tx = tx;
		this.clock = clock;
	}

	/**
	 * {@code tongxing.sms.sent}: text messages handed to the SMS provider, by outcome ({@code sent},
	 * {@code failed}); the phone connector's own metric.
	 */
	private io.micrometer.core.instrument.MeterRegistry meters;

	@org.springframework.beans.factory.annotation.Autowired(required = false)
	void meters(io.micrometer.core.instrument.MeterRegistry meters) {
		this.meters = meters;
	}

	private void countSent(String outcome) {
		if (this.meters != null) {
			io.micrometer.core.instrument.Counter.builder("tongxing.sms.sent")
				.description("Text messages handed to the SMS provider")
				.tag("outcome", outcome)
				.register(this.meters)
				.increment();
		}
	}

	@Override
	public boolean available() {
		return this.sender.delivers();
	}

	@Override
	public SendOutcome send(String rawPhone, String clientIp) {
		Optional<String> e164 = this.numbers.toE164(rawPhone);
		if (e164.isEmpty()) {
			return new SendOutcome.InvalidNumber();
		}
		String phone = e164.get();
		if (!this.sender.delivers()) {
			return new SendOutcome.Failed(phone);
		}
		String phoneDigest = this.digests.phone(phone);
		String ipDigest = this.digests.clientIp(clientIp == null ? "" : clientIp);
		String id = newId();
		String code = newCode();
		Instant now = this.clock.instant();
		Instant expiresAt = now.plus(this.properties.codeTtl());
		Optional<Instant> retryAt = reserve(phoneDigest, ipDigest, now,
				() -> this.codes.insertReplacing(id, phoneDigest, ipDigest, this.digests.code(id, code), now, expiresAt));
		if (retryAt.isPresent()) {
			return new SendOutcome.Limited(phone, retryAt.get());
		}
		try {
			this.sender.send(new SmsMessage(phone, code, this.texts.verificationCode(code, this.properties.codeTtl()),
					SmsMessage.VERIFICATION_CODE));
		}
		catch (SmsDeliveryException ex) {
			countSent("failed");
			log.warn("Could not send a code to {}: {}", masked(phone), ex.getMessage());
			this.codes.delete(id);
			return new SendOutcome.Failed(phone, this.sender.failureRecord(ex), ex.upstreamUnavailable(),
					ex.failureCause());
		}
		catch (RuntimeException ex) {
			countSent("failed");
			log.warn("Could not send a code to {}: {}", masked(phone), ex.getMessage());
			this.codes.delete(id);
			return new SendOutcome.Failed(phone, this.sender.name() + " error", false);
		}
		countSent("sent");
		return new SendOutcome.Sent(phone, expiresAt);
	}

	/** What became of a notice handed to {@link #sendNotice}. */
	sealed interface NoticeOutcome {
	}

	/** The provider accepted it. */
	record NoticeSent() implements NoticeOutcome {
	}

	/** The number (or the address) had too many messages: try again at {@code retryAt}. */
	record NoticeLimited(Instant retryAt) implements NoticeOutcome {
	}

	/**
	 * It cannot go by SMS at all: no provider, or none that sends text or has a template for the notice (Tencent,
	 * Aliyun without {@code notice-templates.account-notice}); the in-app notice is all there is.
	 */
	record NoticeRefused(String why) implements NoticeOutcome {
	}

	/** The provider failed; it may be tried again. */
	record NoticeFailed(String why) implements NoticeOutcome {
	}

	/**
	 * Sends a free-text notice to the number under a budget of its own ({@link #NOTICE_LIMIT}): a notice is a
	 * warning (a change of number asked for by someone who may not be the owner), so the codes anyone can ask for
	 * that number must not use up its room and hold the warning back; and notices count against the codes' limit,
	 * so nobody floods a phone through either. Not the address's limit: what causes a notice already cost the
	 * address a code to the new number.
	 */
	NoticeOutcome sendNotice(String e164, String text) {
		return sendNotice(new SmsMessage(e164, null, text, SmsMessage.NOTICE));
	}

	/** The same for a notice with its template's values, which a provider with that kind's template can send too. */
	NoticeOutcome sendNotice(SmsMessage notice) {
		String e164 = notice.phone();
		if (!this.sender.delivers()) {
			return new NoticeRefused("no SMS provider configured");
		}
		if (!SmsSender.carries(this.sender, notice)) {
			return new NoticeRefused(this.sender.name() + " has no template for " + notice.template() + " and sends no text");
		}
		String phoneDigest = this.digests.phone(e164);
		String id = newId();
		Instant now = this.clock.instant();
		// stored under the notices' own address: counted against the number's codes, and against its notices alone
		String noticeDigest = this.digests.clientIp("notice");
		Optional<Instant> retryAt = reserveNotice(phoneDigest, noticeDigest, now, () -> this.codes.insertNotice(id,
				phoneDigest, noticeDigest, this.digests.code(id, newCode()), now));
		if (retryAt.isPresent()) {
			return new NoticeLimited(retryAt.get());
		}
		try {
			this.sender.send(notice);
		}
		catch (RuntimeException ex) {
			countSent("failed");
			log.warn("Could not send a notice to {}: {}", masked(e164), ex.getMessage());
			// it may have gone out after all (a timeout): it keeps counting against the limits
			return new NoticeFailed(ex instanceof SmsDeliveryException delivery ? this.sender.failureRecord(delivery)
					: this.sender.name() + " error");
		}
		countSent("sent");
		return new NoticeSent();
	}

	/**
	 * Checks both limits and, if there is room, stores the code, all while holding the number's and the
	 * address's gate rows, so concurrent requests on any node are counted one after the other.
	 * @return when to retry if a limit is reached
	 */
	/** At most this many notices to one number in any day, whatever codes it was sent. */
	static final PhoneProperties.Limit NOTICE_LIMIT = new PhoneProperties.Limit(1, 3);

	private Optional<Instant> reserveNotice(String phoneDigest, String noticeDigest, Instant now, Runnable store) {
		List<String> gates = List.of("n:" + phoneDigest);
		for (int attempt = 0; attempt < 3; attempt++) {
			this.codes.ensureGates(gates, now);
			Optional<Optional<Instant>> result = this.tx.execute(status -> {
				if (this.codes.lockGates(gates, now) < gates.size()) {
					return Optional.empty(); // purged between ensure and lock: go round again
				}
				Optional<Instant> retryAt = SendLimits.retryAt(
						this.codes.noticesToPhone(phoneDigest, noticeDigest, now.minus(SendLimits.DAY)), now, NOTICE_LIMIT);
				if (retryAt.isEmpty()) {
					store.run();
				}
				return Optional.of(retryAt);
			});
			if (result != null && result.isPresent()) {
				return result.get();
			}
		}
		throw new IllegalStateException("Could not lock the send-limit rows");
	}

	private Optional<Instant> reserve(String phoneDigest, String ipDigest, Instant now, Runnable store) {
		List<String> gates = ipDigest == null ? List.of("n:" + phoneDigest) : List.of("n:" + phoneDigest, "ip:" + ipDigest);
		for (int attempt = 0; attempt < 3; attempt++) {
			this.codes.ensureGates(gates, now);
			Optional<Optional<Instant>> result = this.tx.execute(status -> {
				if (this.codes.lockGates(gates, now) < gates.size()) {
					return Optional.empty(); // purged between ensure and lock: go round again
				}
				Instant since = now.minus(SendLimits.DAY);
				Optional<Instant> retryAt = SendLimits.later(
						SendLimits.retryAt(this.codes.sendsToPhone(phoneDigest, since), now,
								this.properties.limits().perNumber()),
						ipDigest == null ? Optional.empty() : SendLimits.retryAt(this.codes.sendsFromIp(ipDigest, since), now,
								this.properties.limits().perIp()));
				if (retryAt.isEmpty()) {
					store.run();
				}
				return Optional.of(retryAt);
			});
			if (result != null && result.isPresent()) {
				return result.get();
			}
		}
		throw new IllegalStateException("Could not lock the send-limit rows");
	}

	@Override
	public VerifyOutcome verify(String rawPhone, String code) {
		Optional<String> e164 = this.numbers.toE164(rawPhone);
		if (e164.isEmpty()) {
			return new VerifyOutcome.InvalidNumber();
		}
		String phone = e164.get();
		String entered = code == null ? "" : code.strip();
		String phoneDigest = this.digests.phone(phone);
		Instant now = this.clock.instant();
		return this.tx.execute(status -> {
			Optional<PhoneCodes.StoredCode> latest = this.codes.latestForUpdate(phoneDigest);
			if (latest.isEmpty()) {
				return new VerifyOutcome.NoCode();
			}
			PhoneCodes.StoredCode stored = latest.get();
			switch (stored.state()) {
				case PhoneCodes.DEAD:
					return new VerifyOutcome.TooManyAttempts();
				case PhoneCodes.ACTIVE:
					break;
				default:
					return new VerifyOutcome.NoCode();
			}
			if (!now.isBefore(stored.expiresAt())) {
				return new VerifyOutcome.Expired();
			}
			if (MessageDigest.isEqual(bytes(this.digests.code(stored.id(), entered)), bytes(stored.codeDigest()))) {
				this.codes.markUsed(stored.id());
				return new VerifyOutcome.Verified(phone);
			}
			int failed = stored.failedAttempts() + 1;
			int left = Math.max(0, this.properties.maxAttempts() - failed);
			this.codes.recordFailure(stored.id(), failed, left == 0);
			return new VerifyOutcome.WrongCode(left);
		});
	}

	/** Enough of the number to tell cases apart in a log, not enough to be personal data. */
	static String masked(String e164) {
		return e164.length() <= 8 ? "***" : e164.substring(0, 6) + "***" + e164.substring(e164.length() - 2);
	}

	private static byte[] bytes(String digest) {
		return digest.getBytes(StandardCharsets.US_ASCII);
	}

	private static String newCode() {
		return String.format("%06d", RANDOM.nextInt(1_000_000));
	}

	private static String newId() {
		byte[] bytes = new byte[16];
		RANDOM.nextBytes(bytes);
		return HexFormat.of().formatHex(bytes);
	}

}
