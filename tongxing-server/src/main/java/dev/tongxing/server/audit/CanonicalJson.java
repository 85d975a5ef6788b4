package dev.tongxing.server.audit;

import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one JSON spelling the audit chain hashes: no whitespace, object keys sorted, strings escaped as
 * JavaScript's {@code JSON.stringify} does (so an auditor's script reproduces it byte for byte).
 */
final class CanonicalJson {

	private CanonicalJson() {
	}

	static String object(Map<String, ?> values) {
		StringBuilder json = new StringBuilder();
		writeObject(json, values);
		return json.toString();
	}

	static StringBuilder value(StringBuilder json, Object value) {
		switch (value) {
			case null -> json.append("null");
			case String s -> string(json, s);
			case Boolean b -> json.append(b);
			case Integer i -> json.append(i);
			case Long l -> json.append(l);
			case Short s -> json.append(s);
			case BigInteger b -> json.append(b);
			case Enum<?> e -> string(json, e.name());
			case Map<?, ?> m -> writeObject(json, m);
			case Collection<?> c -> {
				json.append('[');
				boolean first = true;
				for (Object item : c) {
					if (!first) {
						json.append(',');
					}
					first = false;
					value(json, item);
				}
				json.append(']');
			}
			// fractions and anything else as text: their JSON spelling differs between libraries
			default -> string(json, value.toString());
		}
		return json;
	}

	private static void writeObject(StringBuilder json, Map<?, ?> values) {
		json.append('{');
		boolean first = true;
		for (Map.Entry<String, ?> e : sorted(values).entrySet()) {
			if (!first) {
				json.append(',');
			}
			first = false;
			string(json, e.getKey()).append(':');
			value(json, e.getValue());
		}
		json.append('}');
	}

	private static Map<String, ?> sorted(Map<?, ?> values) {
		Map<String, Object> sorted = new TreeMap<>();
		values.forEach((k, v) -> sorted.put(String.valueOf(k), v));
		return sorted;
	}

	static StringBuilder string(StringBuilder json, String s) {
		json.append('"');
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			switch (c) {
				case '"' -> json.append("\\\"");
				case '\\' -> json.append("\\\\");
				case '\b' -> json.append("\\b");
				case '\f' -> json.append("\\f");
				case '\n' -> json.append("\\n");
				case '\r' -> json.append("\\r");
				case '\t' -> json.append("\\t");
				default -> {
					if (c < 0x20 || Character.isSurrogate(c) && !wellPaired(s, i)) {
						json.append(String.format("\\u%04x", (int) c));
					}
					else {
						json.append(c);
					}
				}
			}
		}
		return json.append('"');
	}

	private static boolean wellPaired(String s, int i) {
		char c = s.charAt(i);
		if (Character.isHighSurrogate(c)) {
			return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
		}
		return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
	}

}
