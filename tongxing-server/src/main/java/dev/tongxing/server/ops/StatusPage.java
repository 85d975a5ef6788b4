package dev.tongxing.server.ops;

import dev.tongxing.server.login.LoginMethod;
import dev.tongxing.server.login.Connectors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * What the public status page and its feed show, in the reader's language: each login method's state and
 * 90-day uptime, and the incidents with their timelines in plain words.
 */
@Component
class StatusPage {

	static final int DAYS = 90;

	/** Times in the one zone of the pages (tongxing.display.time-zone), named beside each. */
	private final dev.tongxing.server.kernel.DisplayTime time;

	private final Connectors connectors;

	private final Incidents incidents;

	private final IncidentDetector detector;

	private final ProbeIncidents probes;

	private final FailureCatalog catalog;

	private final MessageSource messages;

	private final OpsProperties properties;

	private final Clock clock;

	StatusPage(Connectors connectors, Incidents incidents, IncidentDetector detector, ProbeIncidents probes,
			FailureCatalog catalog, MessageSource messages, OpsProperties properties, Clock clock,
			dev.tongxing.server.kernel.DisplayTime time) {
		this.time = time;
		this.connectors = connectors;
		this.incidents = incidents;
		this.detector = detector;
		this.probes = probes;
		this.catalog = catalog;
		this.messages = messages;
		this.properties = properties;
		this.clock = clock;
	}

	/** @param state {@code operational}, {@code degraded} or {@code outage} */
	record MethodStatus(String id, String label, String state, List<Day> days) {
	}

	/**
	 * @param uptime percent of the day's minutes (so far, for today) without an open incident
	 * @param level {@code ok} (100%), {@code minor} (at least 95%), {@code major}
	 */
	record Day(LocalDate date, double uptime, String level) {

		public String shown() {
			return String.format(Locale.ROOT, this.uptime == 100 ? "%.0f" : "%.2f", this.uptime);
		}
	}

	record IncidentView(long id, String method, String title, boolean open, Instant openedAt, Instant resolvedAt,
			String period, String cause, List<UpdateView> updates, Instant lastUpdated) {
	}

	record UpdateView(Instant at, String shownAt, String kind, String text) {
	}

	record Status(List<MethodStatus> methods, List<IncidentView> incidents, boolean allOperational, Instant now) {
	}

	Status status(Locale locale) {
		Instant now = this.clock.instant();
		List<Incident> recent = this.incidents.since(now.minus(Duration.ofDays(DAYS)));
		Map<String, List<Incident>> byMethod = recent.stream().collect(Collectors.groupingBy(Incident::method));
		List<MethodStatus> methods = this.connectors.loginMethods()
			.stream()
			.sorted(Comparator.comparingInt(LoginMethod::order))
			.map(method -> {
				List<Incident> its = byMethod.getOrDefault(method.id(), List.of());
				return new MethodStatus(method.id(), label(method.id(), locale), state(method, its),
						days(its, now));
			})
			.toList();
		List<IncidentView> views = recent.stream().map(incident -> view(incident, locale)).toList();
		return new Status(methods, views, methods.stream().allMatch(m -> m.state().equals("operational")), now);
	}

	private String state(LoginMethod method, List<Incident> incidents) {
		if (incidents.stream().anyMatch(Incident::open)) {
			boolean out = this.detector.successRate(method.id()) < this.properties.incident().outageThreshold()
					|| this.probes.allFailing(method.id());
			return out ? "outage" : "degraded";
		}
		return method.degraded() ? "degraded" : "operational";
	}

	/** Per UTC day, the share of its minutes (so far, today) without an open incident of this method. */
	static List<Day> days(List<Incident> incidents, Instant now) {
		List<Day> days = new ArrayList<>(DAYS);
		LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
		for (LocalDate date = today.minusDays(DAYS - 1); !date.isAfter(today); date = date.plusDays(1)) {
			Instant start = date.atStartOfDay(ZoneOffset.UTC).toInstant();
			Instant end = date.equals(today) ? now : start.plus(Duration.ofDays(1));
			long length = Math.max(1, Duration.between(start, end).toSeconds());
			long down = 0;
			for (Incident incident : incidents) {
				Instant from = max(incident.openedAt(), start);
				Instant to = min(incident.resolvedAt() == null ? now : incident.resolvedAt(), end);
				down += Math.max(0, Duration.between(from, to).toSeconds());
			}
			double uptime = 100.0 * (length - Math.min(down, length)) / length;
			days.add(new Day(date, uptime, uptime >= 100 ? "ok" : uptime >= 95 ? "minor" : "major"));
		}
		return days;
	}

	private IncidentView view(Incident incident, Locale locale) {
		String method = label(incident.method(), locale);
		String cause = incident.cause() == null ? null : text(this.catalog.publicKey(incident.cause()), locale);
		List<UpdateView> updates = incident.updates()
			.stream()
			.map(update -> new UpdateView(update.at(), this.time.withZone(update.at()), update.kind(),
					switch (update.kind()) {
						case "opened" -> cause == null ? text("ops.status.update.opened-no-cause", locale, method)
								: text("ops.status.update.opened", locale, method, cause);
						case "resolved" -> text("ops.status.update.resolved", locale, method);
						default -> update.message();
					}))
			.toList()
			.reversed(); // newest first, as status pages read
		String period = incident.open() ? text("ops.status.incident.since", locale, this.time.withZone(incident.openedAt()))
				: text("ops.status.incident.from-to", locale, this.time.withZone(incident.openedAt()),
						this.time.withZone(incident.resolvedAt()));
		return new IncidentView(incident.id(), incident.method(), text("ops.status.incident.title", locale, method),
				incident.open(), incident.openedAt(), incident.resolvedAt(), period, cause, updates,
				incident.lastUpdated());
	}

	/** A method's name: our own short one, else the login button's text, else its id. */
	String label(String method, Locale locale) {
		String own = this.messages.getMessage("ops.method." + method, null, null, locale);
		if (own != null) {
			return own;
		}
		Optional<String> button = this.connectors.loginMethods()
			.stream()
			.filter(m -> m.id().equals(method))
			.map(m -> this.messages.getMessage(m.labelKey(), null, null, locale))
			.filter(java.util.Objects::nonNull)
			.findFirst();
		return button.orElse(method);
	}

	private String text(String key, Locale locale, Object... args) {
		return this.messages.getMessage(key, args, key, locale);
	}

	private static Instant max(Instant a, Instant b) {
		return a.isAfter(b) ? a : b;
	}

	private static Instant min(Instant a, Instant b) {
		return a.isBefore(b) ? a : b;
	}

}
