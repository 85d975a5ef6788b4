package dev.tongxing.server.connector.wechat.follow;

import dev.tongxing.server.crypto.Digests;
import dev.tongxing.server.crypto.PersonalDataCipher;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The QR codes browsers wait on, in the database ({@code wechat_follow_scene}): whichever node takes WeChat's push
 * records the scan, and whichever node the browser waits on sees it. A scene is found by the digest of its pending
 * login's state; the first scan of a live code wins, later ones change nothing.
 */
@Component
class FollowScenes {

	/** Rows outlive their code a little, so a late push is answered "expired" rather than "unknown". */
	private static final Duration KEEP_AFTER_EXPIRY = Duration.ofMinutes(10);

	private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

	private static final SecureRandom RANDOM = new SecureRandom();

	private final JdbcClient jdbc;

	private final PersonalDataCipher cipher;

	private final Clock clock;

	FollowScenes(JdbcClient jdbc, PersonalDataCipher cipher, Clock clock) {
		this.jdbc = jdbc;
		this.cipher = cipher;
		this.clock = clock;
	}

	/**
	 * @param openid who scanned, or null while nobody has
	 * @param event {@code subscribe} (followed now) or {@code SCAN} (followed before), or null
	 */
	record Scene(String scene, String appid, String ticket, String url, Instant expiresAt, String openid, String event) {

		boolean scanned() {
			return this.openid != null;
		}
	}

	/** A scene for a QR code: random, 32 letters or digits (190 bits), within WeChat's 64 characters. */
	static String newScene() {
		StringBuilder sb = new StringBuilder("tx");
		for (int i = 0; i < 32; i++) {
			sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
		}
		return sb.toString();
	}

	static String digest(String state) {
		return Digests.sha256Hex(state);
	}

	void create(String scene, String state, String appid, String ticket, String url, Instant expiresAt) {
		this.jdbc.sql("""
				INSERT INTO wechat_follow_scene (scene, state_digest, appid, ticket, qr_url, expires_at)
				VALUES (:scene, :digest, :appid, :ticket, :url, :expires)""")
			.param("scene", scene)
			.param("digest", digest(state))
			.param("appid", appid)
			.param("ticket", ticket)
			.param("url", url)
			.param("expires", expiresAt.atOffset(ZoneOffset.UTC))
			.update();
	}

	Optional<Scene> byState(String state) {
		return this.jdbc.sql("""
				SELECT scene, appid, ticket, qr_url, expires_at, openid_sealed, scan_event
				FROM wechat_follow_scene WHERE state_digest = :digest""")
			.param("digest", digest(state))
			.query((rs, i) -> new Scene(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
					rs.getObject(5, OffsetDateTime.class).toInstant(), this.cipher.open(rs.getString(6)), rs.getString(7)))
			.optional();
	}

	/** What a scan's push recorded. */
	enum Scan {
		/** This scan is the code's first: the browser may go on. */
		RECORDED,
		/** The code had been scanned already (by anyone): nothing changes. */
		ALREADY_SCANNED,
		/** The code's time is over: nothing changes. */
		EXPIRED,
		/** No code of ours, or another official account's. */
		UNKNOWN
	}

	/** Records who scanned a live code, once: the update's condition decides a race between two nodes. */
	Scan recordScan(String appid, String scene, String openid, String event) {
		int updated = this.jdbc.sql("""
				UPDATE wechat_follow_scene SET openid_sealed = :openid, scan_event = :event, scanned_at = :now
				WHERE scene = :scene AND appid = :appid AND openid_sealed IS NULL AND expires_at > :now""")
			.param("openid", this.cipher.seal(openid))
			.param("event", event)
			.param("now", now())
			.param("scene", scene)
			.param("appid", appid)
			.update();
		if (updated == 1) {
			return Scan.RECORDED;
		}
		record Row(Instant expiresAt, boolean scanned) {
		}
		return this.jdbc.sql("SELECT expires_at, openid_sealed FROM wechat_follow_scene WHERE scene = :scene AND appid = :appid")
			.param("scene", scene)
			.param("appid", appid)
			.query((rs, i) -> new Row(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getString(2) != null))
			.optional()
			.map(row -> row.scanned() ? Scan.ALREADY_SCANNED : Scan.EXPIRED)
			.orElse(Scan.UNKNOWN);
	}

	/** Of these state digests, the ones whose code has been scanned. */
	List<String> scanned(Collection<String> digests) {
		if (digests.isEmpty()) {
			return List.of();
		}
		return this.jdbc.sql("SELECT state_digest FROM wechat_follow_scene WHERE state_digest IN (:digests) AND scanned_at IS NOT NULL")
			.param("digests", List.copyOf(digests))
			.query(String.class)
			.list();
	}

	/** Takes the scene away once its login is decided (signed in or refused): a code signs in once. */
	boolean delete(String scene) {
		return this.jdbc.sql("DELETE FROM wechat_follow_scene WHERE scene = :scene").param("scene", scene).update() == 1;
	}

	/**
	 * Remembers a push, once across all nodes: the primary key decides, also between two nodes at the same moment.
	 * @throws org.springframework.dao.DuplicateKeyException when it was seen before (a resend or a replay)
	 */
	void remember(String messageHash) {
		this.jdbc.sql("INSERT INTO wechat_follow_message (message_hash, received_at) VALUES (:h, :now)")
			.param("h", messageHash)
			.param("now", now())
			.update();
	}

	/** @param id the push's MsgId, or its sender and creation time */
	String messageHash(String appid, String id) {
		return this.cipher.lookupHash("wechat-follow-message", appid + "\n" + id);
	}

	Optional<String> digestOf(String scene) {
		return this.jdbc.sql("SELECT state_digest FROM wechat_follow_scene WHERE scene = :scene")
			.param("scene", scene)
			.query(String.class)
			.optional();
	}

	/**
	 * Pushes are remembered longer than they may be old ({@code message-max-age}), so a replay is either too old or
	 * known; codes a little past their expiry.
	 */
	@Scheduled(fixedDelayString = "PT1M", initialDelayString = "PT1M")
	void purge() {
		purge(Duration.ofHours(2));
	}

	void purge(Duration keepMessages) {
		OffsetDateTime now = now();
		this.jdbc.sql("DELETE FROM wechat_follow_scene WHERE expires_at < :before")
			.param("before", now.minus(KEEP_AFTER_EXPIRY))
			.update();
		this.jdbc.sql("DELETE FROM wechat_follow_message WHERE received_at < :before")
			.param("before", now.minus(keepMessages))
			.update();
	}

	private OffsetDateTime now() {
		return this.clock.instant().atOffset(ZoneOffset.UTC);
	}

}
