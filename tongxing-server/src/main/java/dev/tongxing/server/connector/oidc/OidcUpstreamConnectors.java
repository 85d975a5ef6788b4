package dev.tongxing.server.connector.oidc;

import dev.tongxing.server.login.spi.Connector;
import dev.tongxing.server.login.spi.ConnectorSource;
import dev.tongxing.server.login.spi.IdentityNamespaces;
import dev.tongxing.server.login.spi.Probe;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * One connector per configured OpenID Connect provider, as the core sees it: a login-page button after
 * WeChat and phone, an account-page entry naming the provider, and a probe (its discovery document, fetched
 * afresh).
 */
@Component
class OidcUpstreamConnectors implements ConnectorSource {

	private static final int FIRST_ORDER = 300;

	private final OidcUpstreams upstreams;

	OidcUpstreamConnectors(OidcUpstreams upstreams) {
		this.upstreams = upstreams;
	}

	@Override
	public List<Connector> connectors() {
		List<Connector> connectors = new ArrayList<>();
		List<OidcUpstream> all = this.upstreams.all();
		for (int i = 0; i < all.size(); i++) {
			connectors.add(new UpstreamConnector(all.get(i), FIRST_ORDER + i));
		}
		return connectors;
	}

	private record UpstreamConnector(OidcUpstream upstream, int order) implements Connector {

		@Override
		public String id() {
			return this.upstream.method();
		}

		@Override
		public Labels labels() {
			String upstreamId = this.upstream.definition().id();
			return new Labels(UpstreamLabels.labelKey(upstreamId), "account.method.oidc", null,
					"/login/oidc/" + upstreamId, this.order);
		}

		@Override
		public IdentityNamespaces identities() {
			String upstreamId = this.upstream.definition().id();
			return new IdentityNamespaces(java.util.Set.of(this.upstream.method()), false, key -> upstreamId);
		}

		@Override
		public List<Probe> probes() {
			return List.of(new Probe("oidc:" + this.upstream.definition().id(), this.upstream.method(), () -> {
				try {
					this.upstream.probe();
				}
				catch (UpstreamLoginFailure failure) {
					throw new IllegalStateException(failure.upstreamError() + ": " + failure.getMessage());
				}
			}));
		}

	}

}
