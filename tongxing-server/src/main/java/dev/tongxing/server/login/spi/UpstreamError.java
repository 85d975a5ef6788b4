package dev.tongxing.server.login.spi;

/**
 * The exact error an upstream gave, for operators (never shown to the person): where it happened and the
 * upstream's own code, e.g. {@code /sns/oauth2/access_token} and {@code errcode 40125}, or a call that ended
 * without an answer ({@code timeout}, {@code circuit_open}, …). Its text is what failure records keep:
 * "{@code <where> <code>}"; the code is the last word, so it is read back without knowing the connector.
 *
 * @param where the endpoint or the provider, without spaces; may be empty
 * @param code the upstream's code, a {@link FailureAdvice} key; may contain spaces
 */
public record UpstreamError(String where, String code) {

	public String text() {
		return this.where == null || this.where.isEmpty() ? this.code : this.where + " " + this.code;
	}

	/**
	 * The code of a recorded error text: what follows its first space ("{@code errcode 40125}"), or the whole
	 * text when it has none; null for null.
	 */
	public static String codeOf(String text) {
		if (text == null) {
			return null;
		}
		int space = text.indexOf(' ');
		return space < 0 ? text : text.substring(space + 1);
	}

	@Override
	public String toString() {
		return text();
	}

}
