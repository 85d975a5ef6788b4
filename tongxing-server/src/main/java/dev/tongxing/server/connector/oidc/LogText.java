package dev.tongxing.server.connector.oidc;

/** Text from a provider, made safe for one log line: no control characters (log forging), bounded length. */
final class LogText {

	private static final int MAX = 200;

	private LogText() {
	}

	static String of(String value) {
		if (value == null) {
			return "-";
		}
		String clean = value.replaceAll("\\p{Cntrl}", "?");
		return clean.length() <= MAX ? clean : clean.substring(0, MAX) + "…";
	}

}
