package dev.tongxing.server.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description at {@code /v3/api-docs} (springdoc, generated from the controllers): what it is, and
 * how the operator API authenticates — HTTP Basic as an operator, or a {@code client_credentials} token with
 * {@code tongxing.admin.read} (GET) or {@code tongxing.admin.write} (anything else).
 */
@Configuration(proxyBeanMethods = false)
class ApiDescriptionConfig {

	static final String OPERATOR_BASIC = "operator-basic";

	static final String ADMIN_TOKEN = "admin-token";

	@Bean
	OpenAPI tongxingOpenApi() {
		return new OpenAPI()
			.info(new Info().title("Tongxing (通行) login gateway")
				.version(ApiDescriptionConfig.class.getPackage().getImplementationVersion() == null ? "dev"
						: ApiDescriptionConfig.class.getPackage().getImplementationVersion())
				.description("The gateway's own JSON endpoints: the operator API (/admin/api/**), the privacy "
						+ "lists and notices, the security-event transmitter's metadata, and the token-exchange "
						+ "extension of /oauth2/token. The standard OAuth 2.1 / OpenID Connect endpoints are "
						+ "described by /.well-known/openid-configuration."))
			.components(new Components()
				.addSecuritySchemes(OPERATOR_BASIC,
						new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")
							.description("An operator (tongxing.admin.*)"))
				.addSecuritySchemes(ADMIN_TOKEN,
						new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
							.description("A client_credentials access token with tongxing.admin.read (GET) or "
									+ "tongxing.admin.write")));
	}

	/** Every operator endpoint takes either way in. */
	@Bean
	OpenApiCustomizer operatorApiSecurity() {
		return openApi -> {
			if (openApi.getPaths() == null) {
				return;
			}
			openApi.getPaths().forEach((path, item) -> {
				if (path.startsWith("/admin/api/")) {
					item.readOperations().forEach(operation -> operation
						.addSecurityItem(new SecurityRequirement().addList(OPERATOR_BASIC))
						.addSecurityItem(new SecurityRequirement().addList(ADMIN_TOKEN)));
				}
			});
		};
	}

}
