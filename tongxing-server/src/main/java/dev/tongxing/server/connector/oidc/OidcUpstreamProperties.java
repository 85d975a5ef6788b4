package dev.tongxing.server.connector.oidc;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The OpenID Connect providers people may sign in with, under {@code tongxing.oidc-upstreams[*]}. Checked
 * at start-up (every problem listed at once); the providers themselves are only contacted at first use, so
 * one being down never stops the gateway.
 */
@ConfigurationProperties("tongxing")
public record OidcUpstreamProperties(@DefaultValue List<OidcUpstreamDefinition> oidcUpstreams) {

	public OidcUpstreamProperties {
		oidcUpstreams = List.copyOf(oidcUpstreams);
		List<String> problems = new ArrayList<>();
		Set<String> ids = new HashSet<>();
		for (int i = 0; i < oidcUpstreams.size(); i++) {
			OidcUpstreamDefinition upstream = oidcUpstreams.get(i);
			String where = "tongxing.oidc-upstreams[" + i + "]";
			upstream.problems().forEach(problem -> problems.add(where + ": " + problem));
			if (upstream.id() != null && !ids.add(upstream.id())) {
				problems.add(where + ": id '" + upstream.id() + "' is used by another upstream");
			}
		}
		if (!problems.isEmpty()) {
			throw new IllegalArgumentException(
					"Invalid OpenID Connect upstream configuration:\n  " + String.join("\n  ", problems));
		}
	}

}
