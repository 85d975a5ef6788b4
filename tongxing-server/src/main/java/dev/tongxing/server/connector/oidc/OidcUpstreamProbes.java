package dev.tongxing.server.connector.oidc;

import dev.tongxing.server.connector.UpstreamProbes;
import java.util.List;
import org.springframework.stereotype.Component;

/** One probe per configured OpenID Connect provider: its discovery document, fetched afresh. */
@Component
class OidcUpstreamProbes implements UpstreamProbes {

	private final OidcUpstreams upstreams;

	OidcUpstreamProbes(OidcUpstreams upstreams) {
		this.upstreams = upstreams;
	}

	@Override
	public List<Probe> probes() {
		return this.upstreams.all()
			.stream()
			.map(upstream -> new Probe("oidc:" + upstream.definition().id(), upstream.method(), () -> {
				try {
					upstream.probe();
				}
				catch (UpstreamLoginFailure failure) {
					throw new IllegalStateException(failure.upstreamError() + ": " + failure.getMessage());
				}
			}))
			.toList();
	}

}
