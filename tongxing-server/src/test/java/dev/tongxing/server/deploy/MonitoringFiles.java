package dev.tongxing.server.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The shipped Prometheus alert rules and Grafana dashboard, and the metric names their PromQL uses (for the test
 * that a running gateway exports each of them).
 */
public final class MonitoringFiles {

	public static final String RULES = "deploy/prometheus/tongxing-rules.yml";

	public static final String RULE_TESTS = "deploy/prometheus/tongxing-rules.test.yml";

	public static final String DASHBOARD = "deploy/grafana/tongxing-dashboard.json";

	/** Series Prometheus makes itself, not the gateway: scrape health and the alerts' own. */
	public static final Set<String> PROMETHEUS_OWN = Set.of("up", "ALERTS", "ALERTS_FOR_STATE");

	private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
			"ignoring", "group_left", "group_right", "inf", "nan", "atan2");

	private static final Pattern GROUPING = Pattern
		.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");

	private static final Pattern LABEL_VALUES = Pattern.compile("\\blabel_values\\s*\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)[^)]*\\)");

	private static final Pattern NAME = Pattern.compile("(?<![\\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(?!\\s*\\()(?![\\w])");

	private MonitoringFiles() {
	}

	public static Path path(String relative) {
		return Repository.file(relative);
	}

	/** Every alert's name and expression, in file order. */
	@SuppressWarnings("unchecked")
	public static Map<String, String> alerts() {
		Map<String, String> alerts = new java.util.LinkedHashMap<>();
		Map<String, Object> rules = Repository.yaml(Repository.read(RULES));
		for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
			for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
				alerts.put(String.valueOf(rule.get("alert")), String.valueOf(rule.get("expr")));
			}
		}
		return alerts;
	}

	public static JsonNode dashboard() {
		return JsonMapper.builder().build().readTree(Repository.read(DASHBOARD));
	}

	/** The PromQL of the dashboard: every panel's targets (rows' nested panels too), variables and annotations. */
	public static List<String> dashboardQueries() {
		JsonNode dashboard = dashboard();
		List<String> queries = new ArrayList<>();
		collectPanels(dashboard.path("panels"), queries);
		for (JsonNode variable : dashboard.path("templating").path("list")) {
			if ("query".equals(variable.path("type").asString())) {
				JsonNode query = variable.path("query");
				queries.add(query.isObject() ? query.path("query").asString() : query.asString());
			}
		}
		for (JsonNode annotation : dashboard.path("annotations").path("list")) {
			if (annotation.hasNonNull("expr")) {
				queries.add(annotation.path("expr").asString());
			}
		}
		return queries;
	}

	private static void collectPanels(JsonNode panels, List<String> queries) {
		for (JsonNode panel : panels) {
			for (JsonNode target : panel.path("targets")) {
				queries.add(target.path("expr").asString());
			}
			collectPanels(panel.path("panels"), queries);
		}
	}

	/** Every metric name the rules and the dashboard use. */
	public static Set<String> metricsUsed() {
		Set<String> names = new TreeSet<>();
		alerts().values().forEach(expr -> names.addAll(metricsIn(expr)));
		dashboardQueries().forEach(query -> names.addAll(metricsIn(query)));
		return names;
	}

	/**
	 * The metric names in one PromQL expression (Grafana variables allowed): what is left once strings, label
	 * matchers, ranges, grouping clauses, functions, keywords and numbers are taken out.
	 */
	public static Set<String> metricsIn(String promql) {
		String s = promql.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
			.replaceAll("'(?:[^'\\\\]|\\\\.)*'", "''")
			.replaceAll("\\{[^}]*}", "")
			.replaceAll("\\[[^]]*]", "")
			.replaceAll("\\$\\{[^}]*}|\\$\\w+", "");
		Matcher labelValues = LABEL_VALUES.matcher(s);
		s = labelValues.replaceAll(" $1 ");
		s = GROUPING.matcher(s).replaceAll(" ");
		Set<String> names = new TreeSet<>();
		Matcher m = NAME.matcher(s);
		while (m.find()) {
			String name = m.group(1);
			if (!KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
				names.add(name);
			}
		}
		return names;
	}

}
