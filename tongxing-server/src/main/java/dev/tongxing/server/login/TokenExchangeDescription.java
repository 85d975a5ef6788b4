package dev.tongxing.server.login;

import dev.tongxing.server.login.spi.NativeConnector;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * The token-exchange extension of {@code /oauth2/token} in the OpenAPI description, from the declarations it
 * runs on: each native connector's {@code subject_token_type} and parameters, and the gates' parameters
 * ({@code policy_version}, {@code phone_consent}, …) — so the description names exactly what the grant reads.
 */
@Component
class TokenExchangeDescription implements OpenApiCustomizer {

	static final String PATH = "/oauth2/token";

	private final Connectors connectors;

	private final List<NativeLoginGate> gates;

	TokenExchangeDescription(Connectors connectors, List<NativeLoginGate> gates) {
		this.connectors = connectors;
		this.gates = gates;
	}

	@Override
	public void customise(io.swagger.v3.oas.models.OpenAPI openApi) {
		List<NativeConnector> natives = this.connectors.all().stream()
			.filter(NativeConnector.class::isInstance)
			.map(NativeConnector.class::cast)
			.filter(c -> c.enabled())
			.toList();
		Map<String, Schema> properties = new LinkedHashMap<>();
		properties.put("grant_type", new StringSchema()._enum(List.of(TokenExchangeGrant.TOKEN_EXCHANGE.getValue())));
		properties.put("subject_token", new StringSchema().description("The code or token the app's SDK gave it"));
		properties.put("subject_token_type", new StringSchema()
			._enum(natives.stream().map(NativeConnector::subjectTokenType).toList())
			.description(describe(natives)));
		properties.put("scope", new StringSchema().description("Space-separated scopes, e.g. openid profile offline_access"));
		List<String> required = new ArrayList<>(List.of("grant_type", "subject_token", "subject_token_type"));
		for (NativeConnector connector : natives) {
			connector.parameters().forEach((name, needed) -> properties.putIfAbsent(name,
					new StringSchema().description((needed ? "Required" : "Optional") + " for "
							+ connector.displayName() + " (" + connector.subjectTokenType() + ")")));
		}
		for (NativeLoginGate gate : this.gates) {
			gate.parameters().forEach(name -> properties.putIfAbsent(name, new StringSchema()
				.description("Read by the login's gates when the request needs it (the error says so: "
						+ "consent_required, with the version to show)")));
		}
		Schema<?> form = new ObjectSchema().properties(properties).required(required);
		Operation exchange = new Operation().operationId("tokenExchange")
			.summary("Sign a person in from a native app (RFC 8693 token exchange)")
			.description("The app's client authenticates as usual (client_secret_basic or client_secret_post). "
					+ "The gateway picks the connector by subject_token_type, sends the code upstream once, "
					+ "signs the person in to their one account and answers with tokens.")
			.tags(List.of("token-exchange"))
			.requestBody(new RequestBody().required(true).content(new Content()
				.addMediaType("application/x-www-form-urlencoded", new MediaType().schema(form))))
			.responses(new ApiResponses()
				.addApiResponse("200", new ApiResponse().description(
						"access_token, token_type, expires_in, id_token (with openid), refresh_token (with "
								+ "offline_access), issued_token_type, and a connector's extras"))
				.addApiResponse("400", new ApiResponse().description("An OAuth error: invalid_request, "
						+ "invalid_grant, access_denied, consent_required, unsupported_token_type, …"))
				.addApiResponse("401", new ApiResponse().description("invalid_client"))
				.addApiResponse("429", new ApiResponse().description("The client's tier limit; see Retry-After"))
				.addApiResponse("503", new ApiResponse().description("temporarily_unavailable: the upstream")));
		if (openApi.getPaths() == null) {
			openApi.setPaths(new Paths());
		}
		openApi.getPaths().addPathItem(PATH, new PathItem().post(exchange));
	}

	private static String describe(List<NativeConnector> natives) {
		StringBuilder text = new StringBuilder("Which upstream issued the subject token: ");
		for (int i = 0; i < natives.size(); i++) {
			text.append(i == 0 ? "" : "; ").append(natives.get(i).subjectTokenType()).append(" (")
				.append(natives.get(i).displayName()).append(')');
		}
		return text.toString();
	}

}
