package dev.tongxing.server.analytics;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /admin/analytics}: the login analytics for operators (behind the {@code /admin/**} authentication,
 * like the complaint queue), tables that work without JavaScript and uPlot charts beside them. uPlot is
 * served from its webjar through this controller, under the same protection, never from a CDN.
 */
@Controller
class AnalyticsPageController {

	static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";

	private final AnalyticsQueries queries;

	private final AnalyticsProperties properties;

	private final Clock clock;

	AnalyticsPageController(AnalyticsQueries queries, AnalyticsProperties properties, Clock clock) {
		this.queries = queries;
		this.properties = properties;
		this.clock = clock;
	}

	@GetMapping("/admin/analytics")
	String page(@RequestParam(required = false) String from, @RequestParam(required = false) String to, Model model) {
		LocalDate today = this.clock.instant().atOffset(ZoneOffset.UTC).toLocalDate();
		AnalyticsApiController.Range range;
		boolean invalid = false;
		try {
			range = AnalyticsApiController.Range.of(from == null ? today.minusDays(29).toString() : from,
					to == null ? today.toString() : to);
		}
		catch (AnalyticsApiController.BadParameter ex) {
			invalid = true;
			range = new AnalyticsApiController.Range(today.minusDays(29), today);
		}
		LocalDate f = range.from();
		LocalDate t = range.to();
		model.addAttribute("invalidRange", invalid);
		model.addAttribute("from", f.toString());
		model.addAttribute("to", t.toString());
		model.addAttribute("target", this.properties.successTarget());
		model.addAttribute("targetPercent", Math.round(this.properties.successTarget() * 1000) / 10.0);
		model.addAttribute("methods", this.queries.logins(f, t, AnalyticsQueries.GroupBy.METHOD));
		model.addAttribute("platforms", this.queries.logins(f, t, AnalyticsQueries.GroupBy.PLATFORM));
		model.addAttribute("clients", this.queries.logins(f, t, AnalyticsQueries.GroupBy.CLIENT));
		List<AnalyticsQueries.LoginRow> days = this.queries.logins(f, t, AnalyticsQueries.GroupBy.DAY);
		model.addAttribute("days", days);
		model.addAttribute("funnel", this.queries.funnel(f, t, null, null));
		model.addAttribute("cohorts", this.queries.retention(f, t));
		model.addAttribute("people", this.queries.people(f, t));
		model.addAttribute("sms", this.queries.sms(f, t));
		model.addAttribute("chart", chartData(f, t, days));
		return "analytics/logins";
	}

	/** The charts' series as JSON, in a data attribute (the page runs no inline script). */
	private String chartData(LocalDate f, LocalDate t, List<AnalyticsQueries.LoginRow> days) {
		Map<String, AnalyticsQueries.LoginRow> byDay = new LinkedHashMap<>();
		days.forEach(d -> byDay.put(d.key(), d));
		Map<String, Map<String, Long>> share = this.queries.successesByDayAndMethod(f, t);
		List<Object> x = new ArrayList<>();
		List<Object> rate = new ArrayList<>();
		TreeSet<String> methods = new TreeSet<>();
		share.values().forEach(m -> methods.addAll(m.keySet()));
		Map<String, List<Object>> perMethod = new LinkedHashMap<>();
		methods.forEach(m -> perMethod.put(m, new ArrayList<>()));
		for (Map.Entry<String, Map<String, Long>> day : share.entrySet()) {
			x.add(LocalDate.parse(day.getKey()).atStartOfDay().toEpochSecond(ZoneOffset.UTC));
			AnalyticsQueries.LoginRow row = byDay.get(day.getKey());
			rate.add(row == null || row.successRate() == null ? null : row.successRate() * 100);
			long total = day.getValue().values().stream().mapToLong(Long::longValue).sum();
			for (String m : methods) {
				long n = day.getValue().getOrDefault(m, 0L);
				perMethod.get(m).add(total == 0 ? null : AnalyticsQueries.round((double) n / total) * 100);
			}
		}
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("x", x);
		data.put("rate", rate);
		data.put("target", this.properties.successTarget() * 100);
		data.put("methods", new ArrayList<>(methods));
		data.put("share", new ArrayList<>(perMethod.values()));
		return JSONObjectUtils.toJSONString(data);
	}

	@GetMapping("/admin/analytics/assets/{name:uPlot\\.iife\\.min\\.js|uPlot\\.min\\.css}")
	ResponseEntity<ClassPathResource> uplot(@PathVariable String name) {
		return ResponseEntity.ok()
			.contentType(name.endsWith(".js") ? MediaType.valueOf("text/javascript") : MediaType.valueOf("text/css"))
			.cacheControl(CacheControl.maxAge(java.time.Duration.ofDays(1)).cachePrivate())
			.body(new ClassPathResource(UPLOT + name));
	}

}
