package dev.tongxing.server.connector.oidc;

import dev.tongxing.server.resilience.UpstreamCalls;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** The configured providers, by id, in configuration order. */
@Component
class OidcUpstreams {

	private final Map<String, OidcUpstream> byId = new LinkedHashMap<>();

	OidcUpstreams(OidcUpstreamProperties properties, UpstreamHttp http, UpstreamCalls calls, Clock clock) {
		for (OidcUpstreamDefinition definition : properties.oidcUpstreams()) {
			this.byId.put(definition.id(), new OidcUpstream(definition, http,
					calls.guard("oidc", definition.timeout(), OidcUpstream.ERRORS), clock));
		}
	}

	Optional<OidcUpstream> find(String id) {
		return Optional.ofNullable(this.byId.get(id));
	}

	List<OidcUpstream> all() {
		return List.copyOf(this.byId.values());
	}

	List<OidcUpstreamDefinition> definitions() {
		return this.byId.values().stream().map(OidcUpstream::definition).toList();
	}

}
