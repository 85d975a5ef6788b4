package dev.tongxing.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.login.Connectors;
import dev.tongxing.server.login.spi.NativeConnector;
import dev.tongxing.server.testing.GatewayTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI description against the running gateway: every JSON endpoint its controllers serve is in it, the
 * operator API says how it authenticates, and the token-exchange extension names each native connector's
 * {@code subject_token_type} and parameters.
 */
class OpenApiDescriptionTest extends GatewayTest {

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mappings;

	@Autowired
	Connectors connectors;

	JsonNode description() throws Exception {
		HttpResponse<String> docs = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(this.issuer + "/v3/api-docs")).header("Accept", "application/json")
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(docs.statusCode()).isEqualTo(200);
		assertThat(docs.headers().allValues("Set-Cookie")).isEmpty(); // served to anyone, and no session
		return JsonMapper.builder().build().readTree(docs.body());
	}

	/** The paths of every handler that answers with a body of its own (JSON, CSV), not a page. */
	List<String> jsonEndpoints() {
		List<String> paths = new ArrayList<>();
		for (Map.Entry<RequestMappingInfo, HandlerMethod> mapping : this.mappings.getHandlerMethods().entrySet()) {
			HandlerMethod handler = mapping.getValue();
			boolean body = AnnotatedElementUtils.hasAnnotation(handler.getBeanType(), ResponseBody.class)
					|| AnnotatedElementUtils.hasAnnotation(handler.getMethod(), ResponseBody.class);
			if (!body || !handler.getBeanType().getPackageName().startsWith("dev.tongxing.server")) {
				continue;
			}
			paths.addAll(mapping.getKey().getPatternValues());
		}
		return paths;
	}

	@Test
	void everyJsonEndpointIsDescribed() throws Exception {
		JsonNode paths = description().path("paths");
		List<String> endpoints = jsonEndpoints();
		assertThat(endpoints).contains("/admin/api/people", "/admin/api/ops/wechat-quota", "/privacy/third-parties.json");
		TreeSet<String> missing = new TreeSet<>();
		for (String endpoint : endpoints) {
			if (!paths.has(endpoint)) {
				missing.add(endpoint);
			}
		}
		assertThat(missing).as("JSON endpoints missing from /v3/api-docs").isEmpty();
	}

	@Test
	void theOperatorApiSaysHowItAuthenticates() throws Exception {
		JsonNode description = description();
		assertThat(description.path("info").path("title").asString()).contains("Tongxing");
		assertThat(description.path("components").path("securitySchemes").has("operator-basic")).isTrue();
		assertThat(description.path("components").path("securitySchemes").has("admin-token")).isTrue();
		JsonNode people = description.path("paths").path("/admin/api/people").path("get");
		assertThat(people.path("security").toString()).contains("operator-basic").contains("admin-token");
		// the console overview's figures for machines, like the rest of the operator API
		assertThat(description.path("paths").path("/admin/api/overview").path("get").path("security").toString())
			.contains("operator-basic").contains("admin-token");
		assertThat(description.path("paths").path("/privacy/third-parties.json").path("get").has("security")).isFalse();
	}

	@Test
	void theTokenExchangeNamesEachNativeConnectorAndTheParametersItReads() throws Exception {
		JsonNode form = description().path("paths").path("/oauth2/token").path("post").path("requestBody")
			.path("content").path("application/x-www-form-urlencoded").path("schema").path("properties");
		List<String> types = new ArrayList<>();
		form.path("subject_token_type").path("enum").forEach(type -> types.add(type.asString()));
		List<String> expected = this.connectors.all().stream()
			.filter(NativeConnector.class::isInstance)
			.map(NativeConnector.class::cast)
			.filter(NativeConnector::enabled)
			.map(NativeConnector::subjectTokenType)
			.toList();
		assertThat(expected).isNotEmpty();
		assertThat(types).containsExactlyElementsOf(expected);
		assertThat(form.has("appid")).isTrue(); // WeChat's
		assertThat(form.has("phone_code")).isTrue();
		assertThat(form.has("policy_version")).isTrue(); // the gates'
		assertThat(form.has("phone_consent")).isTrue();
	}

}
