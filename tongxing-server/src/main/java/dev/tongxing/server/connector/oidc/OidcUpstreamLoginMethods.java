package dev.tongxing.server.connector.oidc;

import dev.tongxing.server.login.LoginMethod;
import dev.tongxing.server.login.LoginMethodSource;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/** One login-page button per configured provider, after WeChat and phone. */
@Component
class OidcUpstreamLoginMethods implements LoginMethodSource {

	private static final int FIRST_ORDER = 300;

	private final OidcUpstreams upstreams;

	OidcUpstreamLoginMethods(OidcUpstreams upstreams) {
		this.upstreams = upstreams;
	}

	@Override
	public List<LoginMethod> loginMethods() {
		List<LoginMethod> methods = new ArrayList<>();
		List<OidcUpstreamDefinition> definitions = this.upstreams.definitions();
		for (int i = 0; i < definitions.size(); i++) {
			OidcUpstreamDefinition upstream = definitions.get(i);
			methods.add(new LoginMethod(upstream.method(), UpstreamLabels.labelKey(upstream.id()),
					"/login/oidc/" + upstream.id(), FIRST_ORDER + i));
		}
		return methods;
	}

}
