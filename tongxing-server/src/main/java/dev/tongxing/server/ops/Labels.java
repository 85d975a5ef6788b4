package dev.tongxing.server.ops;

/** Values from login events made safe as metric tags and column values. */
final class Labels {

	private Labels() {
	}

	static String truncate(String value, int max) {
		return value == null || value.length() <= max ? value : value.substring(0, max);
	}

	/** A tag value: never null, never long (a tag's values must stay few). */
	static String tag(String value) {
		return value == null || value.isBlank() ? "none" : truncate(value, 64);
	}

}
