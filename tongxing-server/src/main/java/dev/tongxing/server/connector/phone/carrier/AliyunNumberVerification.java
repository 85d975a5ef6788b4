package dev.tongxing.server.connector.phone.carrier;

import dev.tongxing.server.connector.phone.AliyunRpcSigner;
import dev.tongxing.server.login.LoginFailureCause;
import dev.tongxing.server.resilience.Repeat;
import dev.tongxing.server.resilience.UpstreamCallFailure;
import dev.tongxing.server.resilience.UpstreamCalls;
import dev.tongxing.server.resilience.UpstreamErrors;
import dev.tongxing.server.resilience.UpstreamGuard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Aliyun's number verification (Dypnsapi, version 2017-05-25): {@code GetMobile} with the SDK's
 * {@code AccessToken}, an RPC-style call POSTed as a form and signed like every Aliyun RPC API. Sent once per
 * token (a token is good once); guarded by the circuit breaker and deadline of upstream {@code carrier}.
 */
class AliyunNumberVerification implements NumberVerification {

	private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
		.withZone(ZoneOffset.UTC);

	/** The service's own trouble: unreachable, HTTP 5xx, or an {@code isp.*} code. */
	static final UpstreamErrors ERRORS = new UpstreamErrors() {
		@Override
		public boolean upstreamFault(Throwable failure) {
			return failure instanceof UncheckedIOException || (failure instanceof NumberVerificationException refused
					&& refused.failureCause() == LoginFailureCause.UPSTREAM_UNAVAILABLE);
		}

		@Override
		public String outcome(Throwable failure) {
			return failure instanceof UncheckedIOException ? "network" : "refused";
		}
	};

	private final CarrierLoginProperties properties;

	private final HttpClient http;

	private final UpstreamGuard guard;

	private final JsonMapper json = JsonMapper.builder().build();

	private final Clock clock;

	AliyunNumberVerification(CarrierLoginProperties properties, UpstreamCalls calls, Clock clock) {
		this.properties = properties;
		this.clock = clock;
		this.http = HttpClient.newBuilder()
			.connectTimeout(properties.timeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		this.guard = calls.guard("carrier", properties.timeout(), ERRORS);
	}

	@Override
	public String name() {
		return "aliyun";
	}

	@Override
	public String mobile(String token) {
		Map<String, String> parameters = new LinkedHashMap<>();
		parameters.put("AccessKeyId", this.properties.accessKeyId());
		parameters.put("Action", "GetMobile");
		parameters.put("Format", "JSON");
		parameters.put("RegionId", this.properties.regionId());
		parameters.put("SignatureMethod", "HMAC-SHA1");
		parameters.put("SignatureNonce", UUID.randomUUID().toString());
		parameters.put("SignatureVersion", "1.0");
		parameters.put("Timestamp", TIMESTAMP.format(this.clock.instant().truncatedTo(ChronoUnit.SECONDS)));
		parameters.put("Version", "2017-05-25");
		parameters.put("AccessToken", token);
		HttpRequest request = HttpRequest.newBuilder(this.properties.endpoint())
			.timeout(this.properties.timeout())
			.header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
			.POST(HttpRequest.BodyPublishers
				.ofString(AliyunRpcSigner.signedQuery("POST", parameters, this.properties.accessKeySecret())))
			.build();
		JsonNode answer = call("GetMobile", Repeat.NEVER, request);
		String mobile = answer.path("GetMobileResultDTO").path("Mobile").asString("");
		if (mobile.isEmpty()) {
			throw new NumberVerificationException("Aliyun number verification answered OK without a number",
					"malformed", LoginFailureCause.UPSTREAM_UNAVAILABLE, null);
		}
		return mobile;
	}

	@Override
	public void probe() {
		// an unsigned HEAD: any answer below 500 shows the service reachable and serving
		HttpRequest request = HttpRequest.newBuilder(this.properties.endpoint())
			.timeout(this.properties.timeout())
			.method("HEAD", HttpRequest.BodyPublishers.noBody())
			.build();
		HttpResponse<String> response;
		try {
			response = this.guard.call(name(), "probe", Repeat.SAFE, () -> send(request));
		}
		catch (UpstreamCallFailure ex) {
			throw new IllegalStateException("aliyun " + ex.kind().code() + ": " + ex.getMessage());
		}
		catch (UncheckedIOException ex) {
			throw new IllegalStateException("aliyun network: " + ex.getCause());
		}
		if (response.statusCode() >= 500) {
			throw new IllegalStateException("aliyun http_status: HTTP " + response.statusCode());
		}
	}

	private JsonNode call(String endpoint, Repeat repeat, HttpRequest request) {
		try {
			return this.guard.call(name(), endpoint, repeat, () -> read(send(request)));
		}
		catch (UpstreamCallFailure ex) {
			throw new NumberVerificationException("Aliyun number verification: " + ex.getMessage(), ex.kind().code(),
					LoginFailureCause.UPSTREAM_UNAVAILABLE, ex);
		}
		catch (UncheckedIOException ex) {
			boolean timeout = ex.getCause() instanceof HttpTimeoutException;
			throw new NumberVerificationException("Aliyun number verification did not answer (" + ex.getCause() + ")",
					timeout ? "timeout" : "network", timeout ? LoginFailureCause.UPSTREAM_UNAVAILABLE
							: LoginFailureCause.NETWORK, ex.getCause());
		}
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new UncheckedIOException(new IOException("interrupted", ex));
		}
	}

	private JsonNode read(HttpResponse<String> response) {
		JsonNode answer;
		try {
			answer = this.json.readTree(response.body());
		}
		catch (JacksonException ex) {
			answer = null;
		}
		if (answer == null || !answer.isObject()) {
			throw new NumberVerificationException("Aliyun number verification answered HTTP " + response.statusCode()
					+ " without JSON", "http_status", LoginFailureCause.UPSTREAM_UNAVAILABLE, null);
		}
		String code = answer.path("Code").asString("");
		if (response.statusCode() == 200 && "OK".equals(code)) {
			return answer;
		}
		LoginFailureCause cause = response.statusCode() >= 500 ? LoginFailureCause.UPSTREAM_UNAVAILABLE : cause(code);
		throw new NumberVerificationException("Aliyun number verification refused: HTTP " + response.statusCode() + " "
				+ code + " " + answer.path("Message").asString("") + " (RequestId "
				+ answer.path("RequestId").asString("") + ")", code.isEmpty() ? "http_status" : code, cause, null);
	}

	/**
	 * What a Dypnsapi code means: {@code isp.*} is the platform's own trouble, throttling and an empty balance
	 * limit us, a token the service does not honour (expired, used, of another app) is the person's to retry,
	 * anything about keys, signatures or permissions is our configuration.
	 */
	static LoginFailureCause cause(String code) {
		if (code.startsWith("Forbidden") || code.startsWith("isp.RAM")) {
			return LoginFailureCause.APP_NOT_AUTHORISED;
		}
		if (code.startsWith("isp.") || code.equals("ServiceUnavailable") || code.startsWith("InternalError")) {
			return LoginFailureCause.UPSTREAM_UNAVAILABLE;
		}
		if (code.startsWith("Throttling") || code.equals("isv.BUSINESS_LIMIT_CONTROL")
				|| code.equals("isv.AMOUNT_NOT_ENOUGH") || code.equals("isv.OUT_OF_SERVICE")) {
			return LoginFailureCause.UPSTREAM_RATE_LIMITED;
		}
		if (code.contains("TOKEN") || code.equals("isv.INVALID_PARAMETERS") || code.equals("isv.MOBILE_NUMBER_ILLEGAL")) {
			return LoginFailureCause.CODE_EXPIRED_OR_REUSED;
		}
		return LoginFailureCause.APP_CREDENTIALS_INVALID; // InvalidAccessKeyId.*, SignatureDoesNotMatch, …
	}

}
