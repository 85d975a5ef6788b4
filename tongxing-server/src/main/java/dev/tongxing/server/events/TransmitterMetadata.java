package dev.tongxing.server.events;

import dev.tongxing.server.oidc.OidcProperties;
import dev.tongxing.server.web.SecurityHeaders;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * SSF 1.0 transmitter configuration metadata at {@code /.well-known/ssf-configuration}, public: receivers
 * learn the issuer their SETs carry (byte-identical), where its keys are, and that delivery is RFC 8935 push.
 * Streams are configured per client by the operator ({@code events-endpoint}), so there is no stream
 * management endpoint.
 */
@RestController
class TransmitterMetadata {

	static final String PATH = "/.well-known/ssf-configuration";

	private final String issuer;

	TransmitterMetadata(OidcProperties oidc) {
		this.issuer = oidc.issuer();
	}

	@GetMapping(path = PATH, produces = "application/json")
	Map<String, Object> configuration() {
		Map<String, Object> metadata = new LinkedHashMap<>();
		metadata.put("spec_version", "1_0");
		metadata.put("issuer", this.issuer);
		metadata.put("jwks_uri", this.issuer + "/oauth2/jwks");
		metadata.put("delivery_methods_supported", List.of("urn:ietf:rfc:8935"));
		return metadata;
	}

	@Configuration(proxyBeanMethods = false)
	static class Access {

		@Bean
		@Order(6)
		@ConditionalOnWebApplication // operator commands run the context without a web server
		SecurityFilterChain ssfMetadataChain(HttpSecurity http) throws Exception {
			http.securityMatcher(PATH).authorizeHttpRequests(requests -> requests.anyRequest().permitAll());
			SecurityHeaders.apply(http);
			return http.build();
		}

	}

}
