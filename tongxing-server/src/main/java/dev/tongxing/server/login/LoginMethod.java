package dev.tongxing.server.login;

/**
 * One way to sign in, as the login page lists it. Each upstream connector contributes one bean.
 *
 * @param id stable id, rendered as {@code data-provider} for automation ({@code wechat}, {@code phone}, …)
 * @param labelKey message key of the button text
 * @param href where the button leads
 * @param order position on the page, lowest first
 */
public record LoginMethod(String id, String labelKey, String href, int order) {

}
