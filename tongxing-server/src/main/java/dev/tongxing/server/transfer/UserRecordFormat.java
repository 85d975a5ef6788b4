package dev.tongxing.server.transfer;

import dev.tongxing.server.kernel.MobileNumbers;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes one line of the transfer format, checking everything a line can get wrong on its own
 * (shapes, formats, unknown fields) with messages that name the field. What depends on other lines or on the
 * database (conflicts, unknown clients) is {@link UserImport}'s.
 */
final class UserRecordFormat {

	static final Set<String> FIELDS = Set.of("id", "name", "avatar", "wechat", "phones", "logins", "created_at",
			"last_login_at", "consent", "subs");

	/** WeChat appids are {@code wx} and 16 letters or digits. */
	private static final Pattern APPID = Pattern.compile("wx[0-9A-Za-z]{16}");

	private static final Pattern WECHAT_ID = Pattern.compile("[0-9A-Za-z_-]{1,128}");

	private static final Pattern PROVIDER = Pattern.compile("[a-z][a-z0-9:._-]{0,39}");

	private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

	private final JsonMapper json = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

	private final MobileNumbers phones;

	UserRecordFormat(MobileNumbers phones) {
		this.phones = phones;
	}

	/** A line read: its record, or why it cannot be one. */
	record Parsed(UserRecord record, List<String> errors) {

		boolean valid() {
			return this.errors.isEmpty();
		}

	}

	Parsed parse(String line) {
		List<String> errors = new ArrayList<>();
		JsonNode root;
		try {
			root = this.json.readTree(line);
		}
		catch (JacksonException ex) {
			return new Parsed(null, List.of("not a JSON object: " + ex.getOriginalMessage()));
		}
		if (root == null || !root.isObject()) {
			return new Parsed(null, List.of("not a JSON object"));
		}
		for (String field : root.propertyNames()) {
			if (!FIELDS.contains(field)) {
				errors.add("unknown field \"" + field
						+ "\" (the format has id, name, avatar, wechat, phones, logins, created_at, last_login_at, consent, subs)");
			}
		}
		String id = text(root, "id", 200, true, errors);
		String name = text(root, "name", 200, false, errors);
		String avatar = text(root, "avatar", 1000, false, errors);
		if (avatar != null && !avatar.startsWith("https://") && !avatar.startsWith("http://")) {
			errors.add("avatar: must be an http(s) URL");
		}
		List<UserRecord.Wechat> wechat = new ArrayList<>();
		for (JsonNode entry : array(root, "wechat", errors)) {
			String at = "wechat[" + wechat.size() + "]";
			if (!entry.isObject()) {
				errors.add(at + ": must be an object {\"appid\", \"openid\", \"unionid\"}");
				wechat.add(null);
				continue;
			}
			only(entry, at, Set.of("appid", "openid", "unionid"), errors);
			String appid = text(entry, "appid", 32, false, errors, at);
			String openid = text(entry, "openid", 128, false, errors, at);
			String unionid = text(entry, "unionid", 128, false, errors, at);
			if (appid != null && !APPID.matcher(appid).matches()) {
				errors.add(at + ".appid: must be wx followed by 16 letters or digits");
			}
			if (openid != null && !WECHAT_ID.matcher(openid).matches()) {
				errors.add(at + ".openid: must be 1 to 128 letters, digits, - or _");
			}
			if (unionid != null && !WECHAT_ID.matcher(unionid).matches()) {
				errors.add(at + ".unionid: must be 1 to 128 letters, digits, - or _");
			}
			if ((appid == null) != (openid == null)) {
				errors.add(at + ": appid and openid go together (an openid is only unique within its app)");
			}
			else if (appid == null && unionid == null) {
				errors.add(at + ": needs appid and openid, a unionid, or all three");
			}
			wechat.add(new UserRecord.Wechat(appid, openid, unionid));
		}
		List<UserRecord.Phone> phoneList = new ArrayList<>();
		for (JsonNode entry : array(root, "phones", errors)) {
			String at = "phones[" + phoneList.size() + "]";
			if (!entry.isObject()) {
				errors.add(at + ": must be an object {\"number\", \"verified\"}");
				phoneList.add(null);
				continue;
			}
			only(entry, at, Set.of("number", "verified"), errors);
			String number = text(entry, "number", 40, true, errors, at);
			String e164 = null;
			if (number != null) {
				e164 = number.startsWith("+") ? this.phones.toE164(number).orElse(null) : null;
				if (e164 == null) {
					errors.add(at + ".number: not a mobile number in E.164 form (e.g. +8613800138000)");
				}
			}
			JsonNode verified = entry.get("verified");
			if (verified == null || !verified.isBoolean()) {
				errors.add(at + ".verified: must be true or false");
			}
			phoneList.add(new UserRecord.Phone(e164, verified != null && verified.isBoolean() && verified.booleanValue()));
		}
		List<UserRecord.Login> logins = new ArrayList<>();
		for (JsonNode entry : array(root, "logins", errors)) {
			String at = "logins[" + logins.size() + "]";
			if (!entry.isObject()) {
				errors.add(at + ": must be an object {\"provider\", \"key\"}");
				logins.add(null);
				continue;
			}
			only(entry, at, Set.of("provider", "key"), errors);
			String provider = text(entry, "provider", 40, true, errors, at);
			String key = text(entry, "key", 500, true, errors, at);
			if (provider != null && !PROVIDER.matcher(provider).matches()) {
				errors.add(at + ".provider: must be a lowercase namespace such as oidc:corp");
			}
			else if (provider != null && Namespaces.OWN_FIELDS.contains(provider)) {
				errors.add(at + ".provider: " + provider + " keys go in \"wechat\" or \"phones\"");
			}
			logins.add(new UserRecord.Login(provider, key));
		}
		Instant createdAt = time(root, "created_at", errors);
		Instant lastLoginAt = time(root, "last_login_at", errors);
		UserRecord.Consent consent = null;
		JsonNode consentNode = root.get("consent");
		if (consentNode != null && !consentNode.isNull()) {
			if (!consentNode.isObject()) {
				errors.add("consent: must be an object {\"policy_version\", \"at\"}");
			}
			else {
				only(consentNode, "consent", Set.of("policy_version", "at"), errors);
				String version = text(consentNode, "policy_version", 100, true, errors, "consent");
				Instant at = time(consentNode, "at", errors, "consent");
				if (at == null && consentNode.get("at") == null) {
					errors.add("consent.at: is required (when the person accepted)");
				}
				consent = new UserRecord.Consent(version, at);
			}
		}
		Map<String, String> subs = new LinkedHashMap<>();
		JsonNode subsNode = root.get("subs");
		if (subsNode != null && !subsNode.isNull()) {
			if (!subsNode.isObject()) {
				errors.add("subs: must be an object {\"<client-id>\": \"<sub>\"}");
			}
			else {
				for (Map.Entry<String, JsonNode> sub : subsNode.properties()) {
					if (sub.getKey().isEmpty() || sub.getKey().length() > 100) {
						errors.add("subs: a client id must be 1 to 100 characters");
					}
					else if (!sub.getValue().isString() || sub.getValue().stringValue().isEmpty()
							|| sub.getValue().stringValue().length() > 255
							|| CONTROL.matcher(sub.getValue().stringValue()).find()) {
						errors.add("subs." + sub.getKey() + ": must be a string of 1 to 255 printable characters");
					}
					else {
						subs.put(sub.getKey(), sub.getValue().stringValue());
					}
				}
			}
		}
		boolean canSignIn = wechat.stream().anyMatch(w -> w != null)
				|| phoneList.stream().anyMatch(p -> p != null && p.verified()) || logins.stream().anyMatch(l -> l != null);
		if (errors.isEmpty() && !canSignIn) {
			errors.add("no way to sign in: the record needs a WeChat identity, a verified phone or a login");
		}
		if (!errors.isEmpty()) {
			return new Parsed(null, errors);
		}
		return new Parsed(new UserRecord(id, name, avatar, wechat, phoneList, logins, createdAt, lastLoginAt, consent,
				subs), List.of());
	}

	/** One line, fields in the contract's order, clients sorted: the same person always writes the same line. */
	String write(UserRecord record) {
		ObjectNode root = this.json.createObjectNode();
		root.put("id", record.id());
		if (record.name() != null) {
			root.put("name", record.name());
		}
		if (record.avatar() != null) {
			root.put("avatar", record.avatar());
		}
		ArrayNode wechat = root.putArray("wechat");
		for (UserRecord.Wechat w : record.wechat()) {
			ObjectNode entry = wechat.addObject();
			if (w.appid() != null) {
				entry.put("appid", w.appid());
				entry.put("openid", w.openid());
			}
			if (w.unionid() != null) {
				entry.put("unionid", w.unionid());
			}
		}
		ArrayNode phoneArray = root.putArray("phones");
		for (UserRecord.Phone p : record.phones()) {
			phoneArray.addObject().put("number", p.number()).put("verified", p.verified());
		}
		if (!record.logins().isEmpty()) {
			ArrayNode logins = root.putArray("logins");
			record.logins().forEach(l -> logins.addObject().put("provider", l.provider()).put("key", l.key()));
		}
		if (record.createdAt() != null) {
			root.put("created_at", record.createdAt().toString());
		}
		if (record.lastLoginAt() != null) {
			root.put("last_login_at", record.lastLoginAt().toString());
		}
		if (record.consent() != null) {
			root.putObject("consent")
				.put("policy_version", record.consent().policyVersion())
				.put("at", record.consent().at().toString());
		}
		ObjectNode subs = root.putObject("subs");
		new TreeMap<>(record.subs()).forEach(subs::put);
		return this.json.writeValueAsString(root);
	}

	private static void only(JsonNode node, String at, Set<String> fields, List<String> errors) {
		for (String field : node.propertyNames()) {
			if (!fields.contains(field)) {
				errors.add(at + ": unknown field \"" + field + "\"");
			}
		}
	}

	private static List<JsonNode> array(JsonNode root, String field, List<String> errors) {
		JsonNode node = root.get(field);
		if (node == null || node.isNull()) {
			return List.of();
		}
		if (!node.isArray()) {
			errors.add(field + ": must be an array");
			return List.of();
		}
		List<JsonNode> items = new ArrayList<>();
		node.values().forEach(items::add);
		return items;
	}

	private static String text(JsonNode node, String field, int max, boolean required, List<String> errors) {
		return text(node, field, max, required, errors, null);
	}

	private static String text(JsonNode node, String field, int max, boolean required, List<String> errors,
			String parent) {
		String name = parent == null ? field : parent + "." + field;
		JsonNode value = node.get(field);
		if (value == null || value.isNull()) {
			if (required) {
				errors.add(name + ": is required");
			}
			return null;
		}
		if (!value.isString()) {
			errors.add(name + ": must be a string");
			return null;
		}
		String text = value.stringValue();
		if (text.isEmpty() || text.length() > max) {
			errors.add(name + ": must be 1 to " + max + " characters");
			return null;
		}
		if (CONTROL.matcher(text).find()) {
			errors.add(name + ": must not contain control characters");
			return null;
		}
		return text;
	}

	private static Instant time(JsonNode node, String field, List<String> errors) {
		return time(node, field, errors, null);
	}

	private static Instant time(JsonNode node, String field, List<String> errors, String parent) {
		String name = parent == null ? field : parent + "." + field;
		JsonNode value = node.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isString()) {
			errors.add(name + ": must be a time such as 2024-05-01T08:30:00+08:00");
			return null;
		}
		try {
			return OffsetDateTime.parse(value.stringValue()).toInstant();
		}
		catch (DateTimeParseException ex) {
			errors.add(name + ": \"" + value.stringValue()
					+ "\" is not a time with an offset, such as 2024-05-01T08:30:00+08:00 or 2024-05-01T00:30:00Z");
			return null;
		}
	}

}
