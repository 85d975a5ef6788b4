package dev.tongxing.bench;

import com.nimbusds.jose.JWSAlgorithm;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One kind of request the load generator sends, e.g. {@code client_credentials} grants signed ES256 or
 * refresh-token rotations. A workload is prepared once against the running gateway ({@link #prepare}: its
 * sample token checked, its credentials obtained), then each load connection runs its own {@link Script}.
 * Workloads whose requests can be used only once (authorization codes, WeChat codes) draw them from a pool
 * that {@link #refill} tops up while the load is paused, so minting them is never inside a measured window.
 */
interface Workload {

	/** The name of {@code --workloads=}, e.g. {@code cc-rs256}. */
	String name();

	/** What the request is, for the summary line, e.g. {@code client_credentials}. */
	String label();

	/** The access tokens' signing algorithm: the raw ceiling this workload is compared with. */
	JWSAlgorithm algorithm();

	/** Signatures the gateway makes per successful request (access token, ID token), for reading the ratio. */
	int signaturesPerGrant();

	/** One sentence: what one measured request is, and what is outside the measurement. */
	String measured();

	/** Issue 10's target for this workload, in words (null: none), and whether a result meets it. */
	Target target();

	/**
	 * Checks the workload against the gateway and obtains what its requests need (tokens, logged-in
	 * sessions). Returns a real token of the gateway whose header and claims the raw signer copies.
	 */
	TokenBench.Sample prepare(BenchSetup setup) throws Exception;

	/** The script of connection {@code index}. */
	Script script(int index);

	/**
	 * Tops the pool of single-use requests up to at least {@code requests}; called with the load paused.
	 * Workloads without a pool do nothing.
	 */
	default void refill(long requests) throws Exception {
	}

	/** Whether requests are single-use and come from a pool ({@link #refill}). */
	default boolean pooled() {
		return false;
	}

	/** The requests of one connection; called by that connection's thread only. */
	interface Script {

		/** The next request's bytes, or null when the pool is empty for now. */
		byte[] request();

		/** Null when the response is a success of this workload, else what was wrong with it. */
		String accept(int status, byte[] body, int length);

		/** The same request every time; a success is a 200 whose body contains {@code expected}. */
		static Script repeating(byte[] request, String expected) {
			return new Script() {
				@Override
				public byte[] request() {
					return request;
				}

				@Override
				public String accept(int status, byte[] body, int length) {
					return Http.expect(status, body, length, expected);
				}
			};
		}

	}

	/** Issue 10's target of a workload. */
	interface Target {

		Target NONE = new Target() {
			@Override
			public String text() {
				return null;
			}

			@Override
			public Boolean met(BenchResult result) {
				return null;
			}
		};

		String text();

		/** Null when there is no target. */
		Boolean met(BenchResult result);

	}

	/** A pool of single-use requests, shared by the connections of one workload. */
	final class Pool {

		private final ConcurrentLinkedQueue<byte[]> requests = new ConcurrentLinkedQueue<>();

		void add(byte[] request) {
			this.requests.add(request);
		}

		/** The number of requests left (O(n), but called only while the load is paused). */
		int size() {
			return this.requests.size();
		}

		byte[] take() {
			return this.requests.poll();
		}

		Script script(String expected) {
			return new Script() {
				@Override
				public byte[] request() {
					return take();
				}

				@Override
				public String accept(int status, byte[] body, int length) {
					return Http.expect(status, body, length, expected);
				}
			};
		}

	}

	/** Raw HTTP/1.1 requests to the gateway on loopback, built once per request. */
	final class Http {

		private Http() {
		}

		static String basic(String clientId, String secret) {
			return "Basic " + Base64.getEncoder()
				.encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
		}

		static byte[] post(int port, String path, String authorization, String body) {
			String head = "POST " + path + " HTTP/1.1\r\n" + "Host: 127.0.0.1:" + port + "\r\n" + "Authorization: "
					+ authorization + "\r\n" + "Content-Type: application/x-www-form-urlencoded\r\n"
					+ "Accept: application/json\r\n" + "Content-Length: "
					+ body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n";
			return (head + body).getBytes(StandardCharsets.UTF_8);
		}

		/** Null for a 200 whose body contains {@code expected}, else the problem. */
		static String expect(int status, byte[] body, int length, String expected) {
			if (status != 200) {
				return "HTTP " + status + ": " + text(body, length);
			}
			if (LoadGenerator.indexOf(body, length, expected.getBytes(StandardCharsets.US_ASCII)) < 0) {
				return "200 without " + expected + ": " + text(body, length);
			}
			return null;
		}

		/** The JSON string value of {@code name} in a flat response body, or null. */
		static String stringField(byte[] body, int length, String name) {
			byte[] key = ("\"" + name + "\":\"").getBytes(StandardCharsets.US_ASCII);
			int at = LoadGenerator.indexOf(body, length, key);
			if (at < 0) {
				return null;
			}
			int from = at + key.length;
			int to = from;
			while (to < length && body[to] != '"') {
				to++;
			}
			return to < length ? new String(body, from, to - from, StandardCharsets.US_ASCII) : null;
		}

		static String text(byte[] body, int length) {
			return new String(body, 0, Math.min(length, 300), StandardCharsets.UTF_8);
		}

		static String form(String value) {
			return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
		}

	}

}
