package dev.tongxing.server.deploy;

import static dev.tongxing.server.deploy.Repository.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import dev.tongxing.server.testing.GatewayTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.FileSystemUtils;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The Helm chart, linted and rendered by Helm's own code (helm-java), and the rendered manifests checked
 * against the running gateway: the probe and scrape paths it names answer, the pods run as non-root, the
 * master key reaches the pods only through the Secret.
 */
class HelmChartTest extends GatewayTest {

	static final Path CHART = Repository.file("deploy/helm/tongxing");

	static final String MASTER_KEY = Base64.getEncoder().encodeToString(new byte[32]);

	@TempDir
	Path temp;

	static TemplateCommand withRequiredValues(TemplateCommand template) {
		return template.withName("login")
			.set("issuer", "https://login.example.com")
			.set("masterKey.value", MASTER_KEY)
			.set("database.url", "jdbc:postgresql://postgres.example:5432/tongxing")
			.set("database.password", "db-secret")
			.set("trustedProxies[0]", "10.0.0.0/8");
	}

	static List<Map<String, Object>> render(UnaryOperator<TemplateCommand> values) {
		return Repository.yamlDocuments(values.apply(new Helm(CHART).template()).call());
	}

	static Map<String, Object> kind(List<Map<String, Object>> manifests, String kind) {
		return manifests.stream()
			.filter(m -> kind.equals(m.get("kind")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + kind + " rendered"));
	}

	@Test
	void helmLintPassesStrictWithTheRequiredValuesGiven() throws IOException {
		// helm-java's lint takes no --set: lint a copy whose values.yaml has the required ones filled in
		Path copy = this.temp.resolve("tongxing");
		FileSystemUtils.copyRecursively(CHART, copy);
		Map<String, Object> values = Repository.yaml(Files.readString(copy.resolve("values.yaml")));
		values.put("issuer", "https://login.example.com");
		((Map<String, Object>) values.get("masterKey")).put("value", MASTER_KEY);
		((Map<String, Object>) values.get("database")).put("url", "jdbc:postgresql://postgres.example:5432/tongxing");
		DumperOptions options = new DumperOptions();
		options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
		Files.writeString(copy.resolve("values.yaml"), new Yaml(options).dump(values), StandardCharsets.UTF_8);

		LintResult lint = new Helm(copy).lint().strict().call();
		assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
	}

	@Test
	void theChartRefusesToRenderWithoutIssuerMasterKeyOrDatabase() {
		assertThatThrownBy(() -> render(t -> t.withName("login").set("issuer", "https://login.example.com")
			.set("database.url", "jdbc:postgresql://db/tongxing"))).hasMessageContaining("masterKey");
		assertThatThrownBy(() -> render(t -> t.withName("login").set("masterKey.value", MASTER_KEY)
			.set("database.url", "jdbc:postgresql://db/tongxing"))).hasMessageContaining("issuer");
		assertThatThrownBy(() -> render(t -> t.withName("login").set("masterKey.value", MASTER_KEY)
			.set("issuer", "https://login.example.com"))).hasMessageContaining("database.url");
	}

	@Test
	void replicasRunAsNonRootWithProbesOnTheHealthGroupsTheGatewayServes() throws Exception {
		List<Map<String, Object>> manifests = render(HelmChartTest::withRequiredValues);
		Map<String, Object> deployment = kind(manifests, "Deployment");
		assertThat((Object) at(deployment, "spec.replicas")).isEqualTo(2);
		Map<String, Object> pod = at(deployment, "spec.template.spec");
		assertThat((Object) at(pod, "securityContext.runAsNonRoot")).isEqualTo(true);
		assertThat((Integer) at(pod, "securityContext.runAsUser")).isPositive();
		List<Map<String, Object>> containers = at(pod, "containers");
		assertThat(containers).hasSize(1);
		Map<String, Object> gateway = containers.getFirst();
		assertThat((Object) at(gateway, "securityContext.allowPrivilegeEscalation")).isEqualTo(false);
		assertThat((Object) at(gateway, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
		assertThat((List<Object>) at(gateway, "securityContext.capabilities.drop")).containsExactly("ALL");
		assertThat((Object) at(gateway, "resources.requests.memory")).isNotNull();
		assertThat((Object) at(gateway, "resources.limits.memory")).isNotNull();

		List<Map<String, Object>> ports = at(gateway, "ports");
		assertThat(ports).singleElement().satisfies(p -> {
			assertThat(p.get("name")).isEqualTo("http");
			assertThat(p.get("containerPort")).isEqualTo(8080);
		});
		assertThat(env(gateway, "SERVER_PORT")).isEqualTo(Map.of("name", "SERVER_PORT", "value", "8080"));

		assertThat((Object) at(gateway, "livenessProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
		assertThat((Object) at(gateway, "readinessProbe.httpGet.path")).isEqualTo("/actuator/health/readiness");
		for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
			assertThat((Object) at(gateway, probe + ".httpGet.port")).isEqualTo("http");
			HttpResponse<String> answer = get(at(gateway, probe + ".httpGet.path"));
			assertThat(answer.statusCode()).as(probe).isEqualTo(200);
			assertThat(answer.body()).as(probe).contains("\"status\":\"UP\"");
		}
		assertThat((Object) at(gateway, "startupProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");

		Map<String, Object> annotations = at(deployment, "spec.template.metadata.annotations");
		assertThat(annotations).containsEntry("prometheus.io/scrape", "true").containsEntry("prometheus.io/port", "8080");
		HttpResponse<String> metrics = get((String) annotations.get("prometheus.io/path"));
		assertThat(metrics.statusCode()).isEqualTo(200);
		assertThat(metrics.body()).contains("jvm_memory_used_bytes");

		Map<String, Object> service = kind(manifests, "Service");
		assertThat((Object) at(service, "spec.selector")).isEqualTo(at(deployment, "spec.selector.matchLabels"));
		assertThat(((List<Map<String, Object>>) at(service, "spec.ports")).getFirst()).containsEntry("targetPort", "http");
	}

	@Test
	void aDisruptionBudgetKeepsAPodOfTheDeployment() {
		List<Map<String, Object>> manifests = render(HelmChartTest::withRequiredValues);
		Map<String, Object> deployment = kind(manifests, "Deployment");
		Map<String, Object> budget = kind(manifests, "PodDisruptionBudget");
		assertThat(budget.get("apiVersion")).isEqualTo("policy/v1");
		assertThat((Object) at(budget, "spec.minAvailable")).isEqualTo(1);
		assertThat((Object) at(budget, "spec.selector.matchLabels"))
			.isEqualTo(at(deployment, "spec.selector.matchLabels"));
		Map<String, Object> podLabels = at(deployment, "spec.template.metadata.labels");
		assertThat(podLabels).containsAllEntriesOf(at(budget, "spec.selector.matchLabels"));
		assertThat((Integer) at(budget, "spec.minAvailable")).isLessThan((Integer) at(deployment, "spec.replicas"));
	}

	@Test
	void theMasterKeyReachesThePodsOnlyThroughTheSecret() {
		List<Map<String, Object>> manifests = render(HelmChartTest::withRequiredValues);
		Map<String, Object> secret = kind(manifests, "Secret");
		String secretName = at(secret, "metadata.name");
		assertThat(new String(Base64.getDecoder().decode((String) at(secret, "data.master-key")), StandardCharsets.UTF_8))
			.isEqualTo(MASTER_KEY);
		Map<String, Object> gateway = ((List<Map<String, Object>>) at(kind(manifests, "Deployment"),
				"spec.template.spec.containers")).getFirst();
		assertThat((Object) at(env(gateway, "TONGXING_KEYS_MASTERKEY"), "valueFrom.secretKeyRef"))
			.isEqualTo(Map.of("name", secretName, "key", "master-key"));
		assertThat((Object) at(env(gateway, "SPRING_DATASOURCE_PASSWORD"), "valueFrom.secretKeyRef"))
			.isEqualTo(Map.of("name", secretName, "key", "database-password"));
		for (Map<String, Object> manifest : manifests) {
			if (!"Secret".equals(manifest.get("kind"))) {
				assertThat(new Yaml().dump(manifest)).doesNotContain(MASTER_KEY).doesNotContain("db-secret");
			}
		}

		// an existing Secret instead: none rendered for the key, the pods read the one named
		List<Map<String, Object>> existing = render(t -> t.withName("login")
			.set("issuer", "https://login.example.com")
			.set("masterKey.existingSecret", "tongxing-master-key")
			.set("database.url", "jdbc:postgresql://db/tongxing"));
		assertThat(existing).noneMatch(m -> "Secret".equals(m.get("kind")));
		Map<String, Object> fromExisting = ((List<Map<String, Object>>) at(kind(existing, "Deployment"),
				"spec.template.spec.containers")).getFirst();
		assertThat((Object) at(env(fromExisting, "TONGXING_KEYS_MASTERKEY"), "valueFrom.secretKeyRef"))
			.isEqualTo(Map.of("name", "tongxing-master-key", "key", "master-key"));
	}

	@Test
	void everyEnvironmentVariableIsARealPropertyOfTheGateway() {
		GatewayProperties properties = GatewayProperties.load(Repository.file("README.md"));
		Map<String, Object> gateway = ((List<Map<String, Object>>) at(
				kind(render(HelmChartTest::withRequiredValues), "Deployment"), "spec.template.spec.containers"))
			.getFirst();
		List<Map<String, Object>> env = at(gateway, "env");
		assertThat(env).extracting(e -> e.get("name"))
			.contains("TONGXING_ISSUER", "TONGXING_KEYS_MASTERKEY", "SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME",
					"SPRING_DATASOURCE_PASSWORD", "TONGXING_PROXY_TRUSTEDPROXIES");
		for (Map<String, Object> variable : env) {
			assertThat(properties.propertyOf((String) variable.get("name"))).as("property of %s", variable.get("name"))
				.isNotNull();
		}
		assertThat(env(gateway, "TONGXING_PROXY_TRUSTEDPROXIES")).containsEntry("value", "10.0.0.0/8");
		assertThat(env(gateway, "TONGXING_ISSUER")).containsEntry("value", "https://login.example.com");
	}

	private static Map<String, Object> env(Map<String, Object> container, String name) {
		List<Map<String, Object>> env = at(container, "env");
		return env.stream()
			.filter(e -> name.equals(e.get("name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + name + " in the container's env"));
	}

	private HttpResponse<String> get(String path) throws Exception {
		try (HttpClient http = HttpClient.newHttpClient()) {
			return http.send(HttpRequest.newBuilder(URI.create(this.issuer + path)).GET().build(),
					HttpResponse.BodyHandlers.ofString());
		}
	}

}
