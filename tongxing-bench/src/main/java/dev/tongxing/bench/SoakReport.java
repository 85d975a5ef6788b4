package dev.tongxing.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What a soak found, as the table printed at the end and as JSON; {@link #failures} says why it failed. */
record SoakReport(SoakOptions options, String schema, double loadSeconds, SoakOutcomes outcomes,
		SoakExpectedEvents.Match events, long redeliveries, List<String> invalidEvents, double drainSeconds, Audit audit,
		List<SoakCommand.Kill> kills, List<SoakMemory.Lifetime> lifetimes, long balancerRefused, List<String> nodeErrors,
		int people, Path logs) {

	/** The server's {@code audit verify}: passed, entries and signed checkpoints checked, its verdict line. */
	record Audit(boolean passed, long entries, int checkpoints, String verdict, double seconds) {
	}

	/** Empty when the soak passed. */
	List<String> failures() {
		List<String> f = new ArrayList<>();
		if (!this.events.lost().isEmpty()) {
			f.add(this.events.lost().size() + " events lost (first: " + this.events.lost().getFirst() + ")");
		}
		if (!this.invalidEvents.isEmpty()) {
			f.add(this.invalidEvents.size() + " events the apps could not accept (first: " + this.invalidEvents.getFirst() + ")");
		}
		if (!this.audit.passed()) {
			f.add("audit verify failed: " + this.audit.verdict());
		}
		for (SoakMemory.Lifetime l : this.lifetimes) {
			SoakMemory.Verdict v = l.verdict(this.options.warmup());
			if (v.grew()) {
				f.add("memory grew on node " + l.node + " #" + l.number + ": " + v.text());
			}
		}
		if (this.outcomes.unclassified() > 0) {
			f.add(this.outcomes.unclassified() + " errors without a cause");
		}
		if (this.outcomes.successes("browser-login") == 0) {
			f.add("no browser login completed");
		}
		for (SoakCommand.Kill k : this.kills) {
			if (k.problem() != null) {
				f.add("node " + k.node() + " did not come back after its kill at " + Math.round(k.atSeconds()) + " s: "
						+ k.problem());
			}
		}
		return f;
	}

	String table() {
		StringBuilder b = new StringBuilder();
		b.append(String.format(Locale.ROOT, "soak: %.0f s of load (%s asked), %d workers, WeChat API faults %.0f %%,"
				+ " %d kills (SIGKILL, every %s, nodes in turn), 2 nodes on PostgreSQL + Redis, %d people%n",
				this.loadSeconds, this.options.duration(), this.options.concurrency(),
				this.options.faults() * 100, this.kills.size(),
				this.options.killEvery().isZero() ? "never" : this.options.killEvery(), this.people));
		b.append(String.format(Locale.ROOT, "%-19s %8s %7s  %s%n", "operation", "ok", "errors", "errors by cause"));
		Map<String, Map<String, Long>> errors = this.outcomes.errors();
		for (String op : SoakCommand.OPERATIONS) {
			Map<String, Long> causes = errors.getOrDefault(op, Map.of());
			StringBuilder c = new StringBuilder();
			causes.forEach((cause, n) -> c.append(c.isEmpty() ? "" : ", ").append(cause).append(' ').append(n));
			b.append(String.format(Locale.ROOT, "%-19s %8d %7d  %s%n", op, this.outcomes.successes(op),
					this.outcomes.errorCount(op), c.isEmpty() ? "-" : c));
		}
		b.append(String.format(Locale.ROOT, "events: owed %d, received %d (distinct jti; %d redeliveries), matched %d,"
				+ " LOST %d, unexpected %d; by type %s; drain %.0f s%n", this.events.expected(), this.events.received(),
				this.redeliveries, this.events.matched(), this.events.lost().size(), this.events.unexpected(),
				this.events.receivedByType(), this.drainSeconds));
		b.append(String.format(Locale.ROOT, "audit verify: %s, %s entries, %s signed checkpoints (%s)%n",
				this.audit.passed() ? "PASS" : "FAIL", this.audit.entries() < 0 ? "-" : this.audit.entries(),
				this.audit.checkpoints() < 0 ? "-" : this.audit.checkpoints(), this.audit.verdict()));
		for (SoakCommand.Kill k : this.kills) {
			b.append(String.format(Locale.ROOT, "%s: node %s at %.0f s (pid %d), healthy again in %.1f s%s%n",
					k.killedPid() < 0 ? "start again (after a failed one, no kill)" : "kill", k.node(), k.atSeconds(),
					k.killedPid(), k.restartSeconds(), k.problem() == null ? "" : " FAILED " + k.problem()));
		}
		b.append(String.format(Locale.ROOT, "memory, per node process (minute alive: RSS MB / heap after full GC MB);"
				+ " judged after a %s warm-up, last fifth against first fifth:%n", this.options.warmup()));
		for (SoakMemory.Lifetime l : this.lifetimes) {
			StringBuilder s = new StringBuilder();
			for (SoakMemory.Sample sample : l.samples()) {
				s.append(String.format(Locale.ROOT, " %.1f:%d/%.0f", sample.secondsAlive() / 60, sample.rssKb() >> 10,
						sample.heapAfterGcBytes() / 1048576.0));
			}
			b.append(String.format(Locale.ROOT, "  node %s #%d (pid %d, %.0f s):%s%n    %s%n", l.node, l.number, l.pid,
					l.endedAfterSeconds, s, l.verdict(this.options.warmup()).text()));
		}
		b.append(String.format(Locale.ROOT, "balancer: %d connections no node accepted; node logs: %d ERROR lines (%s)%n",
				this.balancerRefused, this.nodeErrors.size(), this.logs));
		this.nodeErrors.stream().limit(5).forEach(e -> b.append("  ").append(e).append(System.lineSeparator()));
		List<String> failures = failures();
		b.append(failures.isEmpty() ? "result: PASS" : "result: FAIL: " + String.join("; ", failures))
			.append(System.lineSeparator());
		return b.toString();
	}

	String toJson() {
		StringBuilder b = new StringBuilder("{\n");
		field(b, "command", q("soak"));
		field(b, "timestamp", q(java.time.Instant.now().toString()));
		field(b, "duration", q(this.options.duration().toString()));
		field(b, "loadSeconds", num(this.loadSeconds));
		field(b, "faults", num(this.options.faults()));
		field(b, "killEvery", q(this.options.killEvery().toString()));
		field(b, "concurrency", Integer.toString(this.options.concurrency()));
		field(b, "schema", q(this.schema));
		field(b, "people", Integer.toString(this.people));
		StringBuilder ops = new StringBuilder("{");
		Map<String, Map<String, Long>> errors = this.outcomes.errors();
		for (String op : SoakCommand.OPERATIONS) {
			ops.append(ops.length() > 1 ? ", " : "").append(q(op)).append(": {\"ok\": ").append(this.outcomes.successes(op))
				.append(", \"errors\": ").append(this.outcomes.errorCount(op)).append(", \"byCause\": {");
			StringBuilder c = new StringBuilder();
			errors.getOrDefault(op, Map.of()).forEach((cause, n) -> c.append(c.isEmpty() ? "" : ", ").append(q(cause))
				.append(": ").append(n));
			ops.append(c).append("}}");
		}
		field(b, "operations", ops.append('}').toString());
		field(b, "loginsCompleted", Long.toString(this.outcomes.successes("browser-login")));
		field(b, "unclassifiedErrors", Long.toString(this.outcomes.unclassified()));
		field(b, "errorExamples", map(this.outcomes.examples()));
		field(b, "events", "{\"expected\": " + this.events.expected() + ", \"received\": " + this.events.received()
				+ ", \"matched\": " + this.events.matched() + ", \"lost\": " + this.events.lost().size()
				+ ", \"lostEvents\": " + list(this.events.lost()) + ", \"unexpected\": " + this.events.unexpected()
				+ ", \"redeliveries\": " + this.redeliveries + ", \"invalid\": " + list(this.invalidEvents)
				+ ", \"receivedByType\": " + map(this.events.receivedByType()) + ", \"drainSeconds\": "
				+ num(this.drainSeconds) + "}");
		field(b, "auditVerify", "{\"passed\": " + this.audit.passed() + ", \"entries\": " + this.audit.entries()
				+ ", \"checkpoints\": " + this.audit.checkpoints() + ", \"verdict\": " + q(this.audit.verdict()) + "}");
		StringBuilder k = new StringBuilder("[");
		for (SoakCommand.Kill kill : this.kills) {
			k.append(k.length() > 1 ? ", " : "").append("{\"node\": ").append(q(kill.node())).append(", \"atSeconds\": ")
				.append(num(kill.atSeconds())).append(", \"killedPid\": ").append(kill.killedPid())
				.append(", \"newPid\": ").append(kill.newPid()).append(", \"restartSeconds\": ")
				.append(num(kill.restartSeconds())).append(", \"problem\": ")
				.append(kill.problem() == null ? "null" : q(kill.problem())).append('}');
		}
		field(b, "kills", k.append(']').toString());
		StringBuilder m = new StringBuilder("[");
		boolean grew = false;
		for (SoakMemory.Lifetime l : this.lifetimes) {
			SoakMemory.Verdict v = l.verdict(this.options.warmup());
			grew |= v.grew();
			m.append(m.length() > 1 ? ",\n    " : "\n    ").append("{\"node\": ").append(q(l.node)).append(", \"process\": ")
				.append(l.number).append(", \"pid\": ").append(l.pid).append(", \"aliveSeconds\": ")
				.append(num(l.endedAfterSeconds)).append(", \"judged\": ").append(v.judged()).append(", \"grew\": ")
				.append(v.grew()).append(", \"verdict\": ").append(q(v.text())).append(", \"samples\": [");
			List<SoakMemory.Sample> samples = l.samples();
			for (int i = 0; i < samples.size(); i++) {
				SoakMemory.Sample s = samples.get(i);
				m.append(i == 0 ? "" : ", ").append("{\"s\": ").append(num(s.secondsAlive())).append(", \"rssKb\": ")
					.append(s.rssKb()).append(", \"heapAfterGcBytes\": ").append(s.heapAfterGcBytes()).append('}');
			}
			m.append("]}");
		}
		field(b, "memory", m.append("\n  ]").toString());
		field(b, "memoryGrew", Boolean.toString(grew));
		field(b, "balancerRefused", Long.toString(this.balancerRefused));
		field(b, "nodeErrorLines", list(this.nodeErrors.stream().limit(200).toList()));
		List<String> failures = failures();
		field(b, "passed", Boolean.toString(failures.isEmpty()));
		b.append("  \"failures\": ").append(list(failures)).append("\n}\n");
		return b.toString();
	}

	private static void field(StringBuilder b, String name, String json) {
		b.append("  ").append(q(name)).append(": ").append(json).append(",\n");
	}

	private static String q(String s) {
		return BenchResult.jsonString(s);
	}

	private static String num(double d) {
		return Double.isFinite(d) ? String.format(Locale.ROOT, "%.3f", d) : "null";
	}

	private static String list(List<String> items) {
		StringBuilder b = new StringBuilder("[");
		items.forEach(i -> b.append(b.length() > 1 ? ", " : "").append(q(i)));
		return b.append(']').toString();
	}

	private static String map(Map<String, ?> values) {
		StringBuilder b = new StringBuilder("{");
		values.forEach((k, v) -> b.append(b.length() > 1 ? ", " : "").append(q(k)).append(": ")
			.append(v instanceof Number n ? n.toString() : q(String.valueOf(v))));
		return b.append('}').toString();
	}

}
