package dev.tongxing.server.deploy;

import static dev.tongxing.server.deploy.Repository.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml against README.md: the same services, published ports and gateway environment, every
 * variable a real property of the gateway, and nginx and Prometheus pointing at the gateway services. (No
 * container engine here: the file is read, not run.)
 */
class ComposeFileTest {

	static final Map<String, Object> COMPOSE = Repository.yaml(Repository.read("docker-compose.yml"));

	static final String README = Repository.read("README.md");

	static final List<String> GATEWAYS = List.of("gateway-1", "gateway-2");

	static Map<String, Object> services() {
		return at(COMPOSE, "services");
	}

	@Test
	void servicesAndPublishedPortsAreTheReadmes() {
		Map<String, List<String>> documented = new TreeMap<>();
		for (List<String> row : ReadmeTables.tableAfter(README, "| Service | Published ports | What |")) {
			documented.put(ReadmeTables.code(row.get(0)), ReadmeTables.codes(row.get(1)));
		}
		Map<String, List<String>> declared = new TreeMap<>();
		services().forEach((name, service) -> {
			List<Object> ports = at(service, "ports");
			declared.put(name, ports == null ? List.of() : ports.stream().map(String::valueOf).toList());
		});
		assertThat(declared).isEqualTo(documented);
		assertThat(services()).containsKeys("nginx", "gateway-1", "gateway-2", "postgres", "redis", "wechat-emulator",
				"prometheus");
	}

	@Test
	void theGatewayEnvironmentIsTheReadmesAndEveryVariableIsARealProperty() {
		GatewayProperties properties = GatewayProperties.load(Repository.file("README.md"));
		Map<String, String> documented = new LinkedHashMap<>();
		for (List<String> row : ReadmeTables.tableAfter(README, "| Variable | Property | Value in compose |")) {
			String variable = ReadmeTables.code(row.get(0));
			String property = ReadmeTables.code(row.get(1));
			assertThat(GatewayProperties.sets(variable, property)).as("%s sets %s", variable, property).isTrue();
			documented.put(variable, ReadmeTables.code(row.get(2)));
		}
		for (String gateway : GATEWAYS) {
			Map<String, Object> environment = at(services().get(gateway), "environment");
			Map<String, String> declared = new LinkedHashMap<>();
			environment.forEach((name, value) -> declared.put(name, withoutDefaults(String.valueOf(value))));
			assertThat(declared).as(gateway).isEqualTo(documented);
			for (String variable : declared.keySet()) {
				assertThat(variable).matches("(TONGXING|SPRING|SERVER|MANAGEMENT)_[A-Z0-9_]+");
				assertThat(properties.propertyOf(variable)).as("the gateway property %s sets", variable).isNotNull();
			}
		}
	}

	@Test
	void aMisspelledVariableIsCaught() {
		GatewayProperties properties = GatewayProperties.load(Repository.file("README.md"));
		// Spring Boot drops dashes: TONGXING_KEYS_MASTER_KEY would set tongxing.keys.master.key, which nothing reads
		assertThat(properties.propertyOf("TONGXING_KEYS_MASTER_KEY")).isNull();
		assertThat(properties.propertyOf("SPRING_DATASOURCE_URLS")).isNull();
		assertThat(properties.propertyOf("TONGXING_KEYS_MASTERKEY")).isNotNull();
		assertThat(properties.propertyOf("SPRING_DATASOURCE_URL")).isNotNull();
	}

	@Test
	void nothingSecretIsWrittenIntoTheComposeFile() {
		for (String gateway : GATEWAYS) {
			Map<String, Object> environment = at(services().get(gateway), "environment");
			assertThat(String.valueOf(environment.get("TONGXING_KEYS_MASTERKEY"))).startsWith("${TONGXING_MASTER_KEY:?");
			assertThat(String.valueOf(environment.get("SPRING_DATASOURCE_PASSWORD"))).startsWith("${POSTGRES_PASSWORD:?");
		}
		assertThat(String.valueOf((Object) at(services().get("postgres"), "environment.POSTGRES_PASSWORD")))
			.isEqualTo(String.valueOf((Object) at(services().get("gateway-1"), "environment.SPRING_DATASOURCE_PASSWORD")));
	}

	@Test
	void nginxIsTheOneTrustedProxyAndBalancesBothNodes() {
		String nginxAddress = at(services().get("nginx"), "networks.tongxing.ipv4_address");
		assertThat(nginxAddress).isNotBlank();
		for (String gateway : GATEWAYS) {
			assertThat(String.valueOf((Object) at(services().get(gateway), "environment.TONGXING_PROXY_TRUSTEDPROXIES")))
				.isEqualTo(nginxAddress);
			assertThat(String.valueOf((Object) at(services().get(gateway), "environment.SERVER_PORT"))).isEqualTo("8080");
			assertThat((Object) at(services().get(gateway), "ports")).as("%s is reached through nginx only", gateway)
				.isNull();
		}
		List<Object> volumes = at(services().get("nginx"), "volumes");
		assertThat(volumes).contains("./deploy/nginx/nginx.conf:/etc/nginx/nginx.conf:ro");
		String nginx = Repository.read("deploy/nginx/nginx.conf");
		for (String gateway : GATEWAYS) {
			assertThat(nginx).contains("server " + gateway + ":8080");
		}
		assertThat(nginx).contains("proxy_set_header X-Forwarded-For $remote_addr;")
			.contains("proxy_set_header X-Forwarded-Proto $scheme;")
			.contains("proxy_set_header X-Forwarded-Host $http_host;")
			.containsPattern("location /actuator/ \\{\\s*return 404;");
		// the issuer is nginx's published port
		assertThat(String.valueOf((Object) at(services().get("gateway-1"), "environment.TONGXING_ISSUER")))
			.isEqualTo("http://localhost:" + ((List<?>) at(services().get("nginx"), "ports")).getFirst().toString()
				.split(":")[0]);
	}

	@Test
	void prometheusScrapesBothNodesAndLoadsTheShippedRules() {
		Map<String, Object> prometheus = Repository.yaml(Repository.read("deploy/prometheus/prometheus.yml"));
		List<Map<String, Object>> jobs = at(prometheus, "scrape_configs");
		Map<String, Object> job = jobs.getFirst();
		assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
		List<Map<String, Object>> staticConfigs = at(job, "static_configs");
		assertThat((List<Object>) staticConfigs.getFirst().get("targets")).containsExactlyInAnyOrder("gateway-1:8080",
				"gateway-2:8080");
		List<Object> volumes = at(services().get("prometheus"), "volumes");
		List<Object> ruleFiles = at(prometheus, "rule_files");
		for (Object ruleFile : ruleFiles) {
			assertThat(volumes).anySatisfy(v -> assertThat(String.valueOf(v)).endsWith(":" + ruleFile + ":ro"));
		}
		// every metric an alert uses is one the README documents (or Prometheus' own up)
		Map<String, Object> rules = Repository.yaml(Repository.read("deploy/prometheus/tongxing-rules.yml"));
		List<Map<String, Object>> groups = at(rules, "groups");
		Pattern metric = Pattern.compile("\\b(tongxing_[a-z_]+?)(_bucket)?\\b");
		int alerts = 0;
		for (Map<String, Object> group : groups) {
			for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
				assertThat(rule).containsKeys("alert", "expr", "labels", "annotations");
				alerts++;
				Matcher m = metric.matcher(String.valueOf(rule.get("expr")));
				while (m.find()) {
					assertThat(README).as("metric %s documented", m.group(1)).contains("`" + m.group(1));
				}
			}
		}
		assertThat(alerts).isGreaterThanOrEqualTo(3);
	}

	/** {@code ${NAME:?message}} and {@code ${NAME:-default}} as {@code ${NAME}}, as the README writes them. */
	private static String withoutDefaults(String value) {
		return value.replaceAll("\\$\\{([A-Z0-9_]+):[?-][^}]*}", "\\${$1}");
	}

}
