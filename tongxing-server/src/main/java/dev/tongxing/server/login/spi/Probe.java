package dev.tongxing.server.login.spi;

/**
 * A cheap, harmless call that shows whether an upstream answers: the availability probes run it on a
 * schedule, and a login method whose probes keep failing gets an incident.
 *
 * @param name unique and stable, e.g. {@code wechat:<appid>}, {@code oidc:<id>}
 * @param method the login method whose health it tells ({@link Connector#id()})
 * @param call throws, with a short message for operators, when the upstream does not answer usefully
 */
public record Probe(String name, String method, Runnable call) {
}
