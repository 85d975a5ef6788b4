package dev.tongxing.server.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * An entry as stored in the chain. Its hash is the SHA-256 (lowercase hex) of the UTF-8 bytes of
 * {@link #canonical()}: the JSON array
 * {@code [seq,"recorded_at","type","actor","subject","client_id","details","prev_hash"]}, with absent
 * values as {@code null}, {@code recorded_at} as {@code yyyy-MM-ddTHH:mm:ss.SSSZ} (UTC, milliseconds) and
 * {@code details} as the stored JSON text.
 */
record ChainedEntry(long seq, Instant recordedAt, String type, String actor, String subject, String clientId,
		String details, String prevHash, String hash) {

	/** The previous hash of the first entry. */
	static final String GENESIS = "0".repeat(64);

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
		.withZone(ZoneOffset.UTC);

	static ChainedEntry link(long seq, Instant recordedAt, String type, String actor, String subject,
			String clientId, String details, String prevHash) {
		ChainedEntry unhashed = new ChainedEntry(seq, recordedAt, type, actor, subject, clientId, details, prevHash,
				null);
		return new ChainedEntry(seq, recordedAt, type, actor, subject, clientId, details, prevHash,
				unhashed.computeHash());
	}

	String canonical() {
		StringBuilder json = new StringBuilder(256).append('[').append(this.seq).append(',');
		CanonicalJson.value(json, time(this.recordedAt)).append(',');
		CanonicalJson.value(json, this.type).append(',');
		CanonicalJson.value(json, this.actor).append(',');
		CanonicalJson.value(json, this.subject).append(',');
		CanonicalJson.value(json, this.clientId).append(',');
		CanonicalJson.value(json, this.details).append(',');
		CanonicalJson.value(json, this.prevHash);
		return json.append(']').toString();
	}

	String computeHash() {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical().getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	boolean hashMatches() {
		return computeHash().equals(this.hash);
	}

	/** One line of the JSON Lines export: every field the hash covers, and the hash. */
	String jsonLine() {
		StringBuilder json = new StringBuilder(384).append("{\"seq\":").append(this.seq);
		field(json, "recorded_at", time(this.recordedAt));
		field(json, "type", this.type);
		field(json, "actor", this.actor);
		field(json, "subject", this.subject);
		field(json, "client_id", this.clientId);
		field(json, "details", this.details);
		field(json, "prev_hash", this.prevHash);
		field(json, "hash", this.hash);
		return json.append('}').toString();
	}

	private static void field(StringBuilder json, String name, String value) {
		json.append(",\"").append(name).append("\":");
		CanonicalJson.value(json, value);
	}

	static String time(Instant instant) {
		return TIME.format(instant);
	}

}
