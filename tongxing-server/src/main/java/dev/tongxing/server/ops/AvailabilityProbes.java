package dev.tongxing.server.ops;

import dev.tongxing.server.login.Connectors;
import dev.tongxing.server.login.spi.Probe;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Availability probes: on a schedule ({@code tongxing.ops.probes.interval}, default 60 s) each node makes
 * a cheap, harmless call to every upstream the connectors offer a probe for (each WeChat app's
 * {@code stable_token}, each OpenID Connect provider's discovery document) and fetches its own discovery
 * document and login page over loopback, and keeps the results, so operators see an upstream failing before people do;
 * {@link ProbeIncidents} then opens or resolves incidents from them.
 */
@Component
public class AvailabilityProbes {

	private static final Logger log = LoggerFactory.getLogger(AvailabilityProbes.class);

	public record ProbeResult(String probe, Instant checkedAt, boolean ok, long latencyMs, String detail) {
	}

	/** The probe of the gateway itself. */
	static final String GATEWAY = "gateway";

	/** How the gateway's probe of itself names itself, so the login analytics do not count its page views. */
	public static final String USER_AGENT = "Tongxing-availability-probe";

	private final ObjectProvider<Connectors> upstreams;

	private final ObjectProvider<ProbeIncidents> incidents;

	private final ObjectProvider<WebServerApplicationContext> web;

	private final JdbcClient jdbc;

	private final Clock clock;

	private final String node = dev.tongxing.server.kernel.NodeName.get();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

	AvailabilityProbes(ObjectProvider<Connectors> upstreams, ObjectProvider<ProbeIncidents> incidents,
			ObjectProvider<WebServerApplicationContext> web, JdbcClient jdbc, Clock clock) {
		this.upstreams = upstreams;
		this.incidents = incidents;
		this.web = web;
		this.jdbc = jdbc;
		this.clock = clock;
	}

	@Scheduled(initialDelayString = "${tongxing.ops.probes.interval:60s}",
			fixedDelayString = "${tongxing.ops.probes.interval:60s}")
	void scheduled() {
		try {
			runAll();
		}
		catch (RuntimeException ex) {
			log.warn("Availability probes failed to run: {}", ex.toString());
		}
	}

	/** Every upstream probe the connectors offer, in a stable order. */
	List<Probe> upstreamProbes() {
		return this.upstreams.getObject().probes();
	}

	/** Runs every probe once, keeps the results, and lets them open or resolve incidents. */
	public List<ProbeResult> runAll() {
		List<ProbeResult> results = new java.util.ArrayList<>();
		List<Probe> probes = upstreamProbes();
		for (Probe probe : probes) {
			results.add(probe(probe.name(), probe.call()));
		}
		WebServerApplicationContext server = this.web.getIfAvailable();
		if (server != null && server.getWebServer() != null && server.getWebServer().getPort() > 0) {
			int port = server.getWebServer().getPort();
			results.add(probe(GATEWAY, () -> selfCheck(port)));
		}
		OffsetDateTime now = this.clock.instant().atOffset(ZoneOffset.UTC);
		for (ProbeResult result : results) {
			this.jdbc.sql("""
					INSERT INTO ops_probe_result (probe, checked_at, node, ok, latency_ms, detail)
					VALUES (:p, :t, :n, :ok, :ms, :d)""")
				.param("p", result.probe())
				.param("t", now)
				.param("n", this.node)
				.param("ok", result.ok())
				.param("ms", result.latencyMs())
				.param("d", result.detail())
				.update();
		}
		this.jdbc.sql("DELETE FROM ops_probe_result WHERE checked_at < :t")
			.param("t", now.minusDays(7))
			.update();
		this.incidents.ifAvailable(incidents -> incidents.check(probes));
		return results;
	}

	/** The newest result of each probe, from any node. */
	public Map<String, ProbeResult> latest() {
		Map<String, ProbeResult> latest = new LinkedHashMap<>();
		this.jdbc.sql("""
				SELECT probe, checked_at, ok, latency_ms, detail FROM ops_probe_result
				WHERE checked_at > :since ORDER BY checked_at DESC""")
			.param("since", this.clock.instant().minus(Duration.ofHours(1)).atOffset(ZoneOffset.UTC))
			.query((rs, i) -> new ProbeResult(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
					rs.getBoolean(3), rs.getLong(4), rs.getString(5)))
			.list()
			.forEach(r -> latest.putIfAbsent(r.probe(), r));
		return latest;
	}

	private ProbeResult probe(String name, Runnable call) {
		long start = System.nanoTime();
		Instant at = this.clock.instant();
		try {
			call.run();
			return new ProbeResult(name, at, true, (System.nanoTime() - start) / 1_000_000, null);
		}
		catch (RuntimeException ex) {
			return new ProbeResult(name, at, false, (System.nanoTime() - start) / 1_000_000,
					shorten(ex.getMessage() != null ? ex.getMessage() : ex.getClass().getSimpleName()));
		}
	}

	/**
	 * The gateway's own discovery document and login page over loopback, as a client and a person reach them:
	 * both answer, and the page offers a way to sign in. (The login page opens no session, so probing every
	 * minute on every node leaves nothing behind.)
	 */
	private void selfCheck(int port) {
		try {
			HttpResponse<Void> discovery = this.http.send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + port + "/.well-known/openid-configuration"))
				.timeout(Duration.ofSeconds(5))
				.build(), HttpResponse.BodyHandlers.discarding());
			if (discovery.statusCode() != 200) {
				throw new IllegalStateException("discovery answered HTTP " + discovery.statusCode());
			}
			HttpResponse<String> login = this.http.send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
				.header("Accept", "text/html")
				.header("User-Agent", USER_AGENT)
				.timeout(Duration.ofSeconds(5))
				.build(), HttpResponse.BodyHandlers.ofString());
			if (login.statusCode() != 200) {
				throw new IllegalStateException("login page answered HTTP " + login.statusCode());
			}
			if (!login.body().contains("data-provider=")) {
				throw new IllegalStateException("login page offers no way to sign in");
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("gateway unreachable over loopback: " + ex.getClass().getSimpleName(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

	private static String shorten(String text) {
		return text == null ? null : text.length() <= 300 ? text : text.substring(0, 300);
	}

}
