package dev.tongxing.server.login;

/**
 * One way to sign in, as the login page lists it. Each upstream connector contributes one bean.
 *
 * @param id stable id, rendered as {@code data-provider} for automation ({@code wechat}, {@code phone}, …)
 * @param labelKey message key of the button text
 * @param href where the button leads
 * @param order position on the page, lowest first
 * @param noticeKey when the method is failing right now, the message key of a plain-words notice (the page
 * then lists working methods first); null when all is well
 * @param fragment a template whose {@code method} fragment the login page shows instead of the plain button
 * (for a method that works inside the page, such as passkeys with browser autofill), or null; it gets the
 * method as {@code m}
 * @param icon a path of a static image shown on the button (decorative: the label says what it is), or null
 */
public record LoginMethod(String id, String labelKey, String href, int order, String noticeKey, String fragment,
		String icon) {

	public LoginMethod(String id, String labelKey, String href, int order, String noticeKey, String fragment) {
		this(id, labelKey, href, order, noticeKey, fragment, null);
	}

	public LoginMethod(String id, String labelKey, String href, int order) {
		this(id, labelKey, href, order, null);
	}

	public LoginMethod(String id, String labelKey, String href, int order, String noticeKey) {
		this(id, labelKey, href, order, noticeKey, null);
	}

	public boolean degraded() {
		return this.noticeKey != null;
	}

}
