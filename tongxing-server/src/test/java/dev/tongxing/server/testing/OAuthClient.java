package dev.tongxing.server.testing;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Raw protocol calls for tests that must send what a well-behaved library never would (wrong verifiers,
 * duplicated or oversized parameters) and assert the exact OAuth error that comes back.
 */
public final class OAuthClient {

	public record Reply(int status, Map<String, Object> json, String body, java.net.http.HttpHeaders headers) {

		public String error() {
			return this.json == null ? null : (String) this.json.get("error");
		}

		public String string(String name) {
			return this.json == null ? null : (String) this.json.get(name);
		}
	}

	private final String issuer;

	private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

	public OAuthClient(String issuer) {
		this.issuer = issuer;
	}

	public Reply post(String path, String clientId, String secret, Map<String, String> form) {
		return postRaw(path, clientId, secret, encode(form));
	}

	public Reply postRaw(String path, String clientId, String secret, String body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.issuer + path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (clientId != null && secret != null) {
			request.header("Authorization", "Basic " + Base64.getEncoder()
				.encodeToString((enc(clientId) + ":" + enc(secret)).getBytes(StandardCharsets.UTF_8)));
		}
		return send(request.build());
	}

	public Reply get(String pathAndQuery, String bearer) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.issuer + pathAndQuery))
			.header("Accept", "application/json");
		if (bearer != null) {
			request.header("Authorization", "Bearer " + bearer);
		}
		return send(request.build());
	}

	private Reply send(HttpRequest request) {
		try {
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			Map<String, Object> json = null;
			if (response.body().startsWith("{")) {
				try {
					json = JSONObjectUtils.parse(response.body());
				}
				catch (ParseException ignored) {
				}
			}
			return new Reply(response.statusCode(), json, response.body(), response.headers());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public static String encode(Map<String, String> form) {
		return form.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
	}

	static String enc(String s) {
		return URLEncoder.encode(s, StandardCharsets.UTF_8);
	}

	/** A PKCE pair (RFC 7636, S256). */
	public record Pkce(String verifier, String challenge) {

		public static Pkce create() {
			byte[] bytes = new byte[32];
			new SecureRandom().nextBytes(bytes);
			String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
			try {
				byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
				return new Pkce(verifier, Base64.getUrlEncoder().withoutPadding().encodeToString(digest));
			}
			catch (java.security.NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}
	}

	/** Authorization request parameters for a code flow with PKCE S256. */
	public static Map<String, String> authorizeParams(String clientId, String redirectUri, String scope, Pkce pkce) {
		Map<String, String> params = new LinkedHashMap<>();
		params.put("response_type", "code");
		params.put("client_id", clientId);
		params.put("redirect_uri", redirectUri);
		params.put("scope", scope);
		params.put("state", "st-" + System.nanoTime());
		if (pkce != null) {
			params.put("code_challenge", pkce.challenge());
			params.put("code_challenge_method", "S256");
		}
		return params;
	}

	public URI authorizeUri(Map<String, String> params) {
		return URI.create(this.issuer + "/oauth2/authorize?" + encode(params));
	}

}
