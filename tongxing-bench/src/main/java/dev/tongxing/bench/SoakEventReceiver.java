package dev.tongxing.bench;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The apps' Security Event Token receiver (RFC 8935 push): every client of the soak registers
 * {@code http://127.0.0.1:PORT/events/CLIENT} as its {@code events-endpoint}. A SET counts as received once it
 * verifies against the gateway's JWKS, is addressed to the client whose endpoint it came to and names one
 * event; redeliveries (same {@code jti}, which the outbox promises) are counted apart, not twice.
 */
final class SoakEventReceiver implements AutoCloseable {

	/** One event as the app understood it. */
	record Received(String jti, String client, String eventType, String subject) {
	}

	private final HttpServer server;

	private final String jwksUrl;

	private final Map<String, Received> byJti = new ConcurrentHashMap<>();

	private final AtomicLong redeliveries = new AtomicLong();

	private final List<String> invalid = java.util.Collections.synchronizedList(new ArrayList<>());

	private volatile JWKSet keys;

	SoakEventReceiver(int port, String issuer) throws IOException {
		this.jwksUrl = issuer + "/oauth2/jwks";
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 50);
		this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		this.server.createContext("/events/", this::receive);
		this.server.start();
	}

	String endpoint(String clientId) {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/events/" + clientId;
	}

	private void receive(HttpExchange exchange) throws IOException {
		try (exchange) {
			String client = exchange.getRequestURI().getPath().substring("/events/".length());
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.US_ASCII).trim();
			String problem;
			try {
				problem = accept(client, body);
			}
			catch (KeysUnavailable ex) {
				// not the SET's fault: a 5xx is retried by the gateway, a 400 would be final
				exchange.sendResponseHeaders(503, -1);
				return;
			}
			if (problem == null) {
				exchange.sendResponseHeaders(202, -1);
			}
			else {
				this.invalid.add(client + ": " + problem);
				byte[] answer = ("{\"err\":\"invalid_request\",\"description\":\"" + problem.replace('"', '\'') + "\"}")
					.getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().set("Content-Type", "application/json");
				exchange.sendResponseHeaders(400, answer.length);
				exchange.getResponseBody().write(answer);
			}
		}
	}

	/** Null when the SET is good (and recorded), else what is wrong with it. */
	private String accept(String client, String body) {
		try {
			SignedJWT jwt = SignedJWT.parse(body);
			if (!verify(jwt)) {
				return "signature does not verify against " + this.jwksUrl;
			}
			var claims = jwt.getJWTClaimsSet();
			if (!claims.getAudience().contains(client)) {
				return "aud " + claims.getAudience() + " is not " + client;
			}
			Map<String, Object> events = claims.getJSONObjectClaim("events");
			if (events == null || events.size() != 1) {
				return "not exactly one event: " + events;
			}
			Map<String, Object> subId = claims.getJSONObjectClaim("sub_id");
			String subject = subId == null ? null : String.valueOf(subId.get("sub"));
			Received received = new Received(claims.getJWTID(), client, events.keySet().iterator().next(), subject);
			if (this.byJti.putIfAbsent(received.jti(), received) != null) {
				this.redeliveries.incrementAndGet();
			}
			return null;
		}
		catch (KeysUnavailable ex) {
			throw ex;
		}
		catch (java.text.ParseException | com.nimbusds.jose.JOSEException | RuntimeException ex) {
			return "unreadable SET: " + ex.getMessage();
		}
	}

	/** Against the cached JWKS; fetched again once when the key id is unknown (the keys rotate). */
	private boolean verify(SignedJWT jwt) throws com.nimbusds.jose.JOSEException {
		String kid = jwt.getHeader().getKeyID();
		JWKSet set = this.keys;
		if (set == null || set.getKeyByKeyId(kid) == null) {
			set = fetchKeys();
		}
		var key = set == null ? null : set.getKeyByKeyId(kid);
		return key instanceof RSAKey rsa && jwt.verify(new RSASSAVerifier(rsa));
	}

	private JWKSet fetchKeys() {
		try (var http = java.net.http.HttpClient.newHttpClient()) {
			var response = http.send(java.net.http.HttpRequest.newBuilder(URI.create(this.jwksUrl))
				.timeout(java.time.Duration.ofSeconds(10))
				.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
			this.keys = JWKSet.parse(response.body());
			return this.keys;
		}
		catch (IOException | java.text.ParseException ex) {
			if (this.keys == null) {
				throw new KeysUnavailable(); // no node answered for a moment
			}
			return this.keys;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new KeysUnavailable();
		}
	}

	private static final class KeysUnavailable extends RuntimeException {

		KeysUnavailable() {
			super("the gateway's JWKS could not be fetched", null, false, false);
		}

	}

	List<Received> received() {
		return List.copyOf(this.byJti.values());
	}

	long redeliveries() {
		return this.redeliveries.get();
	}

	List<String> invalid() {
		synchronized (this.invalid) {
			return List.copyOf(this.invalid);
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
