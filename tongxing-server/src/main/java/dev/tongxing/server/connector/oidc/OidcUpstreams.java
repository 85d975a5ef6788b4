package dev.tongxing.server.connector.oidc;

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

	OidcUpstreams(OidcUpstreamProperties properties, UpstreamHttp http, Clock clock) {
		for (OidcUpstreamDefinition definition : properties.oidcUpstreams()) {
			this.byId.put(definition.id(), new OidcUpstream(definition, http, clock));
		}
	}

	Optional<OidcUpstream> find(String id) {
		return Optional.ofNullable(this.byId.get(id));
	}

	List<OidcUpstreamDefinition> definitions() {
		return this.byId.values().stream().map(OidcUpstream::definition).toList();
	}

}
