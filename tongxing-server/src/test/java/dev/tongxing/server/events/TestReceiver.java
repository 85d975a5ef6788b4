package dev.tongxing.server.events;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A relying party's event receiver, as a real one would be: each path {@code /<client>/events} takes Security
 * Event Tokens (RFC 8935 push) and {@code /<client>/logout} back-channel logout tokens. It verifies each token
 * against the gateway's JWKS (signature, {@code typ}, {@code iss}, {@code aud} = the client, required and
 * forbidden claims), answers 400 with an RFC 8935 error when one is wrong, and de-duplicates by {@code jti}:
 * {@link #effects} counts each jti once however often it arrives. Tests script answers per path (a status,
 * or a delay before answering).
 */
final class TestReceiver implements AutoCloseable {

	/** One token as it arrived. */
	record Arrival(String client, String kind, String token, Map<String, Object> header, JWTClaimsSet claims,
			String authorization, String contentType, String error) {

		String jti() {
			return this.claims == null ? null : this.claims.getJWTID();
		}

		@SuppressWarnings("unchecked")
		Map<String, Object> events() {
			try {
				return this.claims.getJSONObjectClaim("events");
			}
			catch (java.text.ParseException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

	/** What to do with the next request on a path: wait, then answer with the status. */
	record Script(int status, Duration delay) {

		static Script status(int status) {
			return new Script(status, Duration.ZERO);
		}

		static Script hold(Duration delay) {
			return new Script(202, delay);
		}

	}

	private final HttpServer server;

	private volatile String issuer;

	private volatile String jwksBase;

	private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();

	private final Set<String> effects = Collections.synchronizedSet(new HashSet<>());

	private final Map<String, Deque<Script>> scripts = new ConcurrentHashMap<>();

	private final List<String> requestsStarted = new CopyOnWriteArrayList<>();

	TestReceiver(int port) {
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	/** Trusts the gateway at this issuer: its JWKS verifies every token. */
	void trust(String issuer) {
		trust(issuer, issuer);
	}

	/** Trusts tokens from {@code issuer}, with the keys published by the gateway node at {@code jwksBase}. */
	void trust(String issuer, String jwksBase) {
		this.issuer = issuer;
		this.jwksBase = jwksBase;
	}

	/** The next answers on {@code /<client>/<kind>}, in order; afterwards 202 (200 for logout). */
	void script(String client, String kind, Script... next) {
		this.scripts.computeIfAbsent("/" + client + "/" + kind, p -> new ConcurrentLinkedDeque<>())
			.addAll(List.of(next));
	}

	void reset() {
		this.arrivals.clear();
		this.effects.clear();
		this.scripts.clear();
		this.requestsStarted.clear();
	}

	List<Arrival> arrivals() {
		return new ArrayList<>(this.arrivals);
	}

	List<Arrival> arrivals(String client, String kind) {
		return this.arrivals.stream().filter(a -> a.client().equals(client) && a.kind().equals(kind)).toList();
	}

	/** The jtis acted upon: each once, however many times it was delivered. */
	Set<String> effects() {
		synchronized (this.effects) {
			return new HashSet<>(this.effects);
		}
	}

	/** Requests that have arrived, answered or not yet (the path of each). */
	List<String> requestsStarted() {
		return new ArrayList<>(this.requestsStarted);
	}

	private void handle(HttpExchange exchange) throws IOException {
		String path = exchange.getRequestURI().getPath();
		this.requestsStarted.add(path);
		String[] parts = path.split("/");
		if (parts.length != 3 || !exchange.getRequestMethod().equals("POST")) {
			answer(exchange, 404, "");
			return;
		}
		String client = parts[1];
		String kind = parts[2];
		byte[] bytes;
		try (InputStream in = exchange.getRequestBody()) {
			bytes = in.readAllBytes();
		}
		String body = new String(bytes, StandardCharsets.UTF_8);
		String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
		String authorization = exchange.getRequestHeaders().getFirst("Authorization");
		String token = kind.equals("logout") ? form(body).get("logout_token") : body;
		JWTClaimsSet claims = null;
		Map<String, Object> header = null;
		String error = null;
		try {
			com.nimbusds.jwt.SignedJWT parsed = com.nimbusds.jwt.SignedJWT.parse(token);
			header = parsed.getHeader().toJSONObject();
			claims = verify(client, kind, token);
		}
		catch (Exception ex) {
			error = ex.getMessage();
		}
		Arrival arrival = new Arrival(client, kind, token, header, claims, authorization, contentType, error);
		this.arrivals.add(arrival);
		if (error == null) {
			this.effects.add(claims.getJWTID()); // de-duplication by jti: a set keeps one of each
		}
		Script script = this.scripts.getOrDefault(path, new ConcurrentLinkedDeque<>()).poll();
		if (script != null && !script.delay().isZero()) {
			try {
				Thread.sleep(script.delay());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		if (error != null) {
			answer(exchange, 400, "{\"err\":\"invalid_request\",\"description\":\"" + error.replace("\"", "'") + "\"}");
		}
		else if (script != null && script.status() != 202) {
			answer(exchange, script.status(), script.status() == 400
					? "{\"err\":\"invalid_audience\",\"description\":\"not for us\"}" : "try later");
		}
		else {
			answer(exchange, kind.equals("logout") ? 200 : 202, "");
		}
	}

	private JWTClaimsSet verify(String client, String kind, String token) throws Exception {
		DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
		// the published keys, read afresh for each token as a receiver would after an unknown kid
		JWKSource<SecurityContext> jwks = new com.nimbusds.jose.jwk.source.ImmutableJWKSet<>(
				com.nimbusds.jose.jwk.JWKSet.load(URI.create(this.jwksBase + "/oauth2/jwks").toURL()));
		processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, jwks));
		boolean logout = kind.equals("logout");
		processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(
				new JOSEObjectType(logout ? "logout+jwt" : "secevent+jwt")));
		if (logout) {
			// Back-Channel Logout 1.0 §2.6: iss, aud, iat, jti, events required; nonce forbidden
			processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(new HashSet<>(List.of(client)),
					new JWTClaimsSet.Builder().issuer(this.issuer).build(), Set.of("iat", "jti", "events", "sub"),
					Set.of("nonce")));
		}
		else {
			// RFC 8417 / SSF 1.0: iss, aud, iat, jti, events; no sub, no exp
			processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(new HashSet<>(List.of(client)),
					new JWTClaimsSet.Builder().issuer(this.issuer).build(), Set.of("iat", "jti", "events", "sub_id"),
					Set.of("sub", "exp")));
		}
		JWTClaimsSet claims = processor.process(token, null);
		Map<String, Object> events = claims.getJSONObjectClaim("events");
		if (events == null || events.size() != 1) {
			throw new IllegalArgumentException("events must hold exactly one event");
		}
		if (logout && !events.containsKey("http://schemas.openid.net/event/backchannel-logout")) {
			throw new IllegalArgumentException("not a logout token");
		}
		return claims;
	}

	private static Map<String, String> form(String body) {
		Map<String, String> form = new java.util.HashMap<>();
		for (String pair : body.split("&")) {
			int eq = pair.indexOf('=');
			if (eq > 0) {
				form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
						URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
			}
		}
		return form;
	}

	private static void answer(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		if (status == 400) {
			exchange.getResponseHeaders().add("Content-Type", "application/json");
		}
		exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
		if (bytes.length > 0) {
			exchange.getResponseBody().write(bytes);
		}
		exchange.close();
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
