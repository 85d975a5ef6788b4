package dev.tongxing.server.connector;

import java.util.List;

/**
 * Cheap, harmless calls that show whether a connector's upstreams answer: the availability probes run them
 * on a schedule, and a login method whose probes keep failing gets an incident.
 */
public interface UpstreamProbes {

	List<Probe> probes();

	/**
	 * @param name unique and stable, e.g. {@code wechat:<appid>}, {@code oidc:<id>}
	 * @param method the login method whose health it tells ({@code wechat}, {@code oidc:<id>})
	 * @param call throws, with a short message for operators, when the upstream does not answer usefully
	 */
	record Probe(String name, String method, Runnable call) {
	}

}
