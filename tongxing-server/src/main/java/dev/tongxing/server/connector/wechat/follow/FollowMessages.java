package dev.tongxing.server.connector.wechat.follow;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What WeChat pushes to the official account's server URL, checked and taken once: the signature over the token,
 * timestamp and nonce (and, in the safe mode, {@code msg_signature} over the {@code Encrypt} text, which is then
 * opened with the EncodingAESKey and must name our appid); a timestamp older than {@code message-max-age} is a replay;
 * a push seen before (WeChat resends an unanswered one, three times in all) changes nothing the second time. A
 * {@code subscribe} or {@code SCAN} event for one of our live codes records who scanned it, in one transaction with
 * the push's dedupe row, so a crash leaves neither and WeChat's retry does the work. Only the database is touched:
 * the answer comes well within WeChat's five seconds.
 */
@Component
class FollowMessages {

	private static final Logger log = LoggerFactory.getLogger(FollowMessages.class);

	/** WeChat's events are small; anything bigger is not from WeChat. */
	static final int MAX_BODY = 16 * 1024;

	/** A push's outcome, as the endpoint answers it and the metric counts it. */
	enum Outcome {
		/** A scan of a live code: the browser goes on. */
		SCANNED(200),
		/** A push seen before: answered as a success, so WeChat stops resending it. */
		DUPLICATE(200),
		/** Genuine, but nothing for us (another event or message, a code expired or scanned before). */
		IGNORED(200),
		/** The signature does not hold (not from WeChat, or the token is wrong). */
		BAD_SIGNATURE(403),
		/** Signed, but older than {@code message-max-age}: a replay. */
		STALE(403),
		/** Signed with the Token but not encrypted, while the account pushes in safe or compatible mode. */
		NOT_ENCRYPTED(403),
		/** Not a message WeChat would send (no XML, no fields, a ciphertext that does not open). */
		MALFORMED(400),
		/** Not configured for it (an encrypted push without an EncodingAESKey, the method disabled). */
		NOT_CONFIGURED(404),
		/** The database could not record it: WeChat is asked to send it again. */
		UNAVAILABLE(503);

		final int status;

		Outcome(int status) {
			this.status = status;
		}

		String tag() {
			return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
		}
	}

	/** The query WeChat signs a push or URL check with. */
	record Signed(String signature, String timestamp, String nonce, String encryptType, String msgSignature) {
	}

	private final FollowProperties properties;

	private final FollowScenes scenes;

	private final FollowWaiters waiters;

	private final FollowApp app;

	private final Clock clock;

	private final MeterRegistry meters;

	private final TransactionTemplate transaction;

	FollowMessages(FollowProperties properties, FollowScenes scenes, FollowWaiters waiters, FollowApp app, Clock clock,
			MeterRegistry meters, PlatformTransactionManager transactions) {
		this.properties = properties;
		this.scenes = scenes;
		this.waiters = waiters;
		this.app = app;
		this.clock = clock;
		this.meters = meters;
		this.transaction = new TransactionTemplate(transactions);
		// well within WeChat's five seconds: a slow database is a retry, not a push WeChat gave up on
		this.transaction.setTimeout(3);
	}

	/** WeChat's check of the server URL: the echostr comes back when the signature holds. */
	Optional<String> verifyUrl(Signed query, String echostr) {
		if (!this.properties.enabled() || echostr == null || !signatureHolds(query) || !fresh(query.timestamp())) {
			count(this.properties.enabled() ? Outcome.BAD_SIGNATURE : Outcome.NOT_CONFIGURED);
			return Optional.empty();
		}
		return Optional.of(echostr);
	}

	Outcome receive(Signed query, byte[] body) {
		Outcome outcome = outcome(query, body);
		count(outcome);
		return outcome;
	}

	private Outcome outcome(Signed query, byte[] body) {
		if (!this.properties.enabled()) {
			return Outcome.NOT_CONFIGURED;
		}
		if (!signatureHolds(query)) {
			log.warn("A push to the official account's message endpoint had a wrong signature: refused");
			return Outcome.BAD_SIGNATURE;
		}
		if (!fresh(query.timestamp())) {
			log.warn("A signed push older than {} came to the message endpoint: refused as a replay",
					this.properties.messageMaxAge());
			return Outcome.STALE;
		}
		if (!"aes".equalsIgnoreCase(query.encryptType()) && this.properties.encryptionRequired()) {
			// WeChat encrypts every push once an EncodingAESKey is in use: this one knew the Token, not the key
			log.warn("A plain push came to the message endpoint, which takes encrypted pushes only: refused");
			return Outcome.NOT_ENCRYPTED;
		}
		Map<String, String> message;
		try {
			message = fields(body);
			if ("aes".equalsIgnoreCase(query.encryptType())) {
				if (!this.properties.safeMode()) {
					log.warn("An encrypted push came but tongxing.wechat.follow.encoding-aes-key is not set");
					return Outcome.NOT_CONFIGURED;
				}
				String encrypt = message.get("Encrypt");
				if (encrypt == null || !MessageCrypto.matches(MessageCrypto.signature(this.properties.token(),
						query.timestamp(), query.nonce(), encrypt), query.msgSignature())) {
					log.warn("A safe-mode push had a wrong msg_signature: refused");
					return Outcome.BAD_SIGNATURE;
				}
				message = fields(MessageCrypto
					.decrypt(MessageCrypto.aesKey(this.properties.encodingAesKey()), this.app.appid(), encrypt)
					.getBytes(StandardCharsets.UTF_8));
			}
		}
		catch (IllegalArgumentException ex) {
			log.warn("A signed push could not be read: {}", ex.getMessage());
			return Outcome.MALFORMED;
		}
		String from = message.get("FromUserName");
		String created = message.get("CreateTime");
		if (from == null || created == null || !created.matches("[0-9]{1,12}")) {
			return Outcome.MALFORMED;
		}
		String appid = this.app.appid();
		// WeChat's rule: events have no MsgId and are told apart by sender and creation time; with the event and its
		// key, two codes one person scans within a second stay two (a resend repeats all four)
		String id = message.get("MsgId") != null ? "msg:" + message.get("MsgId")
				: String.join("\n", from, created, message.getOrDefault("Event", ""), message.getOrDefault("EventKey", ""));
		String hash = this.scenes.messageHash(appid, id);
		String scene = scene(message);
		String event = message.get("Event");
		FollowScenes.Scan[] scan = new FollowScenes.Scan[1];
		try {
			this.transaction.executeWithoutResult(status -> {
				this.scenes.remember(hash); // a push seen before fails here, and the transaction ends with nothing done
				scan[0] = scene == null ? null : this.scenes.recordScan(appid, scene, from, event);
			});
		}
		catch (DuplicateKeyException seen) {
			return Outcome.DUPLICATE;
		}
		catch (RuntimeException ex) {
			log.warn("Could not record a push to the message endpoint (WeChat will send it again): {}", ex.getMessage());
			return Outcome.UNAVAILABLE;
		}
		if (scan[0] != FollowScenes.Scan.RECORDED) {
			return Outcome.IGNORED;
		}
		this.scenes.digestOf(scene).ifPresent(this.waiters::scanned);
		return Outcome.SCANNED;
	}

	/** The scene of a scan event: {@code qrscene_<scene>} for a new follower, the scene itself for a follower. */
	private static String scene(Map<String, String> message) {
		if (!"event".equals(message.get("MsgType")) || message.get("EventKey") == null) {
			return null;
		}
		String key = message.get("EventKey");
		return switch (message.getOrDefault("Event", "")) {
			case "subscribe" -> key.startsWith("qrscene_") ? key.substring("qrscene_".length()) : null;
			case "SCAN" -> key;
			default -> null;
		};
	}

	private boolean signatureHolds(Signed query) {
		if (query.signature() == null || query.timestamp() == null || query.nonce() == null) {
			return false;
		}
		return MessageCrypto.matches(MessageCrypto.signature(this.properties.token(), query.timestamp(), query.nonce()),
				query.signature());
	}

	private boolean fresh(String timestamp) {
		if (!timestamp.matches("[0-9]{1,12}")) {
			return false;
		}
		long age = this.clock.instant().getEpochSecond() - Long.parseLong(timestamp);
		return Math.abs(age) <= this.properties.messageMaxAge().toSeconds();
	}

	/** The children of the {@code <xml>} root, by name; no DTD, no entities (XXE), no external anything. */
	static Map<String, String> fields(byte[] xml) {
		if (xml == null || xml.length == 0 || xml.length > MAX_BODY) {
			throw new IllegalArgumentException("no body, or too big");
		}
		Document document;
		try {
			DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
			factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
			factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
			factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
			factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
			factory.setXIncludeAware(false);
			factory.setExpandEntityReferences(false);
			DocumentBuilder builder = factory.newDocumentBuilder();
			builder.setErrorHandler(null);
			document = builder.parse(new ByteArrayInputStream(xml));
		}
		catch (Exception ex) {
			throw new IllegalArgumentException("not XML");
		}
		Element root = document.getDocumentElement();
		if (root == null || !"xml".equals(root.getNodeName())) {
			throw new IllegalArgumentException("not a WeChat message");
		}
		Map<String, String> fields = new HashMap<>();
		NodeList children = root.getChildNodes();
		for (int i = 0; i < children.getLength(); i++) {
			Node child = children.item(i);
			if (child.getNodeType() == Node.ELEMENT_NODE) {
				fields.putIfAbsent(child.getNodeName(), child.getTextContent().strip());
			}
		}
		return fields;
	}

	private void count(Outcome outcome) {
		this.meters.counter("tongxing.wechat.follow.messages", "outcome", outcome.tag()).increment();
	}

}
