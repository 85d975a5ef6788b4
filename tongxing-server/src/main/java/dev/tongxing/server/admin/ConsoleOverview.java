package dev.tongxing.server.admin;

import dev.tongxing.server.analytics.RecentLogins;
import dev.tongxing.server.complaint.ComplaintDeadlines;
import dev.tongxing.server.ops.OpsOverview;
import dev.tongxing.server.ops.UpstreamQuotas;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The console's overview (issue #14): its figures, each from the package that owns it through a small public
 * interface — logins from the analytics' hour roll-ups ({@link RecentLogins}), incidents, circuits, probes, quota
 * use and the token rate from ops ({@link OpsOverview}), tickets near their deadline from the complaint desk
 * ({@link ComplaintDeadlines}). The page at {@code /admin} and {@code GET /admin/api/overview} show the same.
 */
@Component
class ConsoleOverview {

	/**
	 * @param node the node that answered: circuits and the token rate are its own
	 */
	record Overview(Instant at, String node, double successTarget, RecentLogins.Window lastHour,
			RecentLogins.Window lastDay, List<OpsOverview.OpenIncident> incidents, ComplaintDeadlines.Near complaints,
			List<OpsOverview.Circuit> circuits, List<OpsOverview.Probe> probes, List<UpstreamQuotas.QuotaUse> quotas,
			OpsOverview.TokenRate tokens) {
	}

	private final RecentLogins logins;

	private final OpsOverview ops;

	private final ComplaintDeadlines complaints;

	private final Clock clock;

	ConsoleOverview(RecentLogins logins, OpsOverview ops, ComplaintDeadlines complaints, Clock clock) {
		this.logins = logins;
		this.ops = ops;
		this.complaints = complaints;
		this.clock = clock;
	}

	Overview now() {
		return new Overview(this.clock.instant(), this.ops.node(), this.logins.successTarget(), this.logins.lastHours(1),
				this.logins.lastHours(24), this.ops.openIncidents(), this.complaints.nearOrPast(), this.ops.circuits(),
				this.ops.probes(), this.ops.quotaUse(), this.ops.tokensIssued());
	}

	/** The JSON form, in the operator API's snake case. */
	static Map<String, Object> json(Overview o) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("at", o.at().toString());
		body.put("node", o.node());
		body.put("success_target", o.successTarget());
		Map<String, Object> logins = new LinkedHashMap<>();
		logins.put("source", "hour roll-ups of every node, plus this node's counts not yet flushed");
		logins.put("last_hour", window(o.lastHour()));
		logins.put("last_day", window(o.lastDay()));
		body.put("logins", logins);
		body.put("incidents", o.incidents().stream().map(i -> {
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("id", i.id());
			row.put("method", i.method());
			row.put("cause", i.cause());
			row.put("opened_at", i.openedAt().toString());
			row.put("opened_by", i.openedBy());
			return row;
		}).toList());
		Map<String, Object> complaints = new LinkedHashMap<>();
		complaints.put("escalate_before", o.complaints().escalateBefore().toString());
		complaints.put("total", o.complaints().total());
		complaints.put("tickets", o.complaints().tickets().stream().map(t -> {
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("number", t.number());
			row.put("method", t.method());
			row.put("first_response_due", t.firstResponseDue().toString());
			row.put("seconds_left", t.secondsLeft());
			row.put("overdue", t.overdue());
			return row;
		}).toList());
		body.put("complaints_near_deadline", complaints);
		Map<String, Object> upstreams = new LinkedHashMap<>();
		upstreams.put("circuits", o.circuits().stream().map(c -> {
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("name", c.name());
			row.put("state", c.state());
			row.put("failure_rate", c.failureRate());
			return row;
		}).toList());
		upstreams.put("circuits_scope", "node");
		upstreams.put("probes", o.probes().stream().map(p -> {
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("name", p.name());
			row.put("ok", p.ok());
			row.put("checked_at", p.checkedAt().toString());
			row.put("latency_ms", p.latencyMs());
			row.put("detail", p.detail());
			return row;
		}).toList());
		upstreams.put("quotas", o.quotas().stream().map(q -> {
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("upstream", q.upstream());
			row.put("api", q.api());
			row.put("day_limit", q.dayLimit());
			row.put("day_remaining", q.dayRemaining());
			row.put("day_used", q.dayUsed());
			row.put("back_off_until", q.backOffUntil() == null ? null : q.backOffUntil().toString());
			row.put("back_off_errcode", q.backOffErrcode());
			return row;
		}).toList());
		body.put("upstreams", upstreams);
		Map<String, Object> tokens = new LinkedHashMap<>();
		tokens.put("scope", "node");
		tokens.put("node", o.tokens().node());
		tokens.put("last_5_minutes", o.tokens().lastFiveMinutes());
		tokens.put("last_hour", o.tokens().lastHour());
		tokens.put("per_minute", o.tokens().perMinute());
		tokens.put("counting_since", o.tokens().countingSince().toString());
		body.put("tokens_issued", tokens);
		return body;
	}

	private static Map<String, Object> window(RecentLogins.Window w) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("since", w.since().toString());
		body.put("until", w.until().toString());
		body.put("attempts", w.attempts());
		body.put("successes", w.successes());
		body.put("success_rate", w.successRate());
		body.put("methods", w.methods().stream().map(m -> {
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("method", m.method());
			row.put("attempts", m.attempts());
			row.put("successes", m.successes());
			row.put("success_rate", m.successRate());
			row.put("below_target", m.belowTarget());
			return row;
		}).toList());
		return body;
	}

}
