package dev.tongxing.server.connector.wechat;

import dev.tongxing.server.resilience.Repeat;
import dev.tongxing.server.resilience.UpstreamCallFailure;
import dev.tongxing.server.resilience.UpstreamCalls;
import dev.tongxing.server.resilience.UpstreamErrors;
import dev.tongxing.server.resilience.UpstreamGuard;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * WeChat's server-to-server API, spoken as WeChat speaks it: GET with query strings (POST JSON for the
 * two endpoints that want it), {@code appid}/{@code secret}, HTTP 200 for errors too, bodies parsed as
 * JSON whatever their Content-Type. Every call is guarded per app ({@link UpstreamGuard}: circuit breaker,
 * bulkhead, deadline); only the calls that are safe to repeat ({@code stable_token}, {@code sns/userinfo}) are
 * retried — a code exchange, a {@code jscode2session} or a phone-number code is sent once. The breaker's state
 * tells the login page whether WeChat login is failing.
 */
public class WechatApiClient {

	private final String apiBase;

	private final Duration timeout;

	private final HttpClient http;

	private final UpstreamGuard guard;

	private final JsonMapper json = JsonMapper.builder().build();

	/** The apps' quota budget; none in a client made without one. */
	private final WechatQuota quota;

	public WechatApiClient(String apiBase, Duration timeout, UpstreamCalls calls) {
		this(apiBase, timeout, calls, null);
	}

	public WechatApiClient(String apiBase, Duration timeout, UpstreamCalls calls, WechatQuota quota) {
		this.quota = quota;
		this.apiBase = apiBase.endsWith("/") ? apiBase.substring(0, apiBase.length() - 1) : apiBase;
		this.timeout = timeout;
		this.guard = calls.guard("wechat", timeout, ERRORS);
		this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
	}

	/** {@code sns/oauth2/access_token}: a website, mobile or official-account code for a user token. */
	public UserToken exchangeCode(WechatApp app, String code) {
		JsonNode body = get(app.appid(), "/sns/oauth2/access_token", Repeat.NEVER, WechatQuota.Priority.LOGIN,
				params("appid", app.appid(), "secret", app.secret(), "code", code, "grant_type", "authorization_code"));
		return userToken(body);
	}

	static UserToken userToken(JsonNode body) {
		return new UserToken(text(body, "access_token"), text(body, "openid"), text(body, "unionid"),
				text(body, "scope"), body.path("is_snapshotuser").asInt(0) == 1);
	}

	/**
	 * {@code sns/userinfo}: nickname and avatar (sex and region have been blank since 2021). Optional for the
	 * quota budget: a login goes ahead without the profile.
	 */
	public UserInfo userInfo(String appid, String accessToken, String openid) {
		JsonNode body = get(appid, "/sns/userinfo", Repeat.SAFE, WechatQuota.Priority.OPTIONAL,
				params("access_token", accessToken, "openid", openid, "lang", "zh_CN"));
		return userInfo(body);
	}

	static UserInfo userInfo(JsonNode body) {
		return new UserInfo(text(body, "nickname"), text(body, "headimgurl"), text(body, "unionid"));
	}

	/** {@code sns/jscode2session}: a mini program's wx.login code. */
	public MiniProgramSession jscode2session(WechatApp app, String jsCode) {
		JsonNode body = get(app.appid(), "/sns/jscode2session", Repeat.NEVER, WechatQuota.Priority.LOGIN,
				params("appid", app.appid(), "secret", app.secret(), "js_code", jsCode, "grant_type", "authorization_code"));
		return miniProgramSession(body);
	}

	static MiniProgramSession miniProgramSession(JsonNode body) {
		return new MiniProgramSession(text(body, "openid"), text(body, "unionid"), text(body, "session_key"));
	}

	/** {@code cgi-bin/stable_token}: an app token that other callers' requests cannot invalidate. */
	public AppToken stableToken(WechatApp app) {
		return stableToken(app, WechatQuota.Priority.LOGIN);
	}

	/** {@link #stableToken(WechatApp)}, for a caller no person waits on (a probe) when optional. */
	public AppToken stableToken(WechatApp app, WechatQuota.Priority priority) {
		Map<String, Object> request = new LinkedHashMap<>();
		request.put("grant_type", "client_credential");
		request.put("appid", app.appid());
		request.put("secret", app.secret());
		request.put("force_refresh", false);
		JsonNode body = post(app.appid(), "/cgi-bin/stable_token", Repeat.SAFE, priority, Map.of(), request);
		return appToken(body);
	}

	static AppToken appToken(JsonNode body) {
		return new AppToken(text(body, "access_token"), body.path("expires_in").asLong(0));
	}

	/** {@code wxa/business/getuserphonenumber}: the phone number behind a mini program's phone code. */
	public PhoneNumber phoneNumber(String appid, String appToken, String phoneCode) {
		JsonNode body = post(appid, "/wxa/business/getuserphonenumber", Repeat.NEVER, WechatQuota.Priority.LOGIN,
				Map.of("access_token", appToken),
				Map.of("code", phoneCode));
		return phoneNumber(body);
	}

	static PhoneNumber phoneNumber(JsonNode body) {
		JsonNode info = body.path("phone_info");
		return new PhoneNumber(text(info, "purePhoneNumber"), text(info, "countryCode"));
	}

	/**
	 * {@code cgi-bin/qrcode/create}: an official account's temporary parametric QR code ({@code QR_STR_SCENE}) whose
	 * scan makes WeChat push a {@code subscribe} or {@code SCAN} event with the scene. A person waits on it (the
	 * follow-to-sign-in page); asking again only makes another code, so it is safe to repeat.
	 */
	public QrCode qrCode(String appid, String appToken, String scene, long expireSeconds) {
		Map<String, Object> request = new LinkedHashMap<>();
		request.put("expire_seconds", expireSeconds);
		request.put("action_name", "QR_STR_SCENE");
		request.put("action_info", Map.of("scene", Map.of("scene_str", scene)));
		JsonNode body = post(appid, "/cgi-bin/qrcode/create", Repeat.SAFE, WechatQuota.Priority.LOGIN,
				Map.of("access_token", appToken), request);
		return new QrCode(text(body, "ticket"), body.path("expire_seconds").asLong(0), text(body, "url"));
	}

	/**
	 * {@code cgi-bin/user/info}: what an official account knows of a follower (no nickname or avatar since
	 * 2021-12-27): the UnionID for an account bound to an open platform. A person waits on it; it reads only.
	 */
	public Follower follower(String appid, String appToken, String openid) {
		JsonNode body = get(appid, "/cgi-bin/user/info", Repeat.SAFE, WechatQuota.Priority.LOGIN,
				params("access_token", appToken, "openid", openid, "lang", "zh_CN"));
		return new Follower(text(body, "openid"), text(body, "unionid"), body.path("subscribe").asInt(0) == 1);
	}

	public CircuitBreaker breaker(String appid) {
		return this.guard.breaker(appid);
	}

	public Bulkhead bulkhead(String appid) {
		return this.guard.bulkhead(appid);
	}

	/** WeChat's own trouble: no useful answer, or an errcode meaning "busy" or "broken on our side". */
	static final UpstreamErrors ERRORS = new UpstreamErrors() {
		@Override
		public boolean upstreamFault(Throwable failure) {
			return failure instanceof WechatUnavailableException
					|| (failure instanceof WechatApiException api && api.upstreamFault());
		}

		@Override
		public boolean retryable(Throwable failure) {
			return upstreamFault(failure) && !(failure instanceof WechatUnavailableException unavailable
					&& unavailable.reason() == WechatUnavailableException.Reason.TIMEOUT);
		}

		@Override
		public String outcome(Throwable failure) {
			if (failure instanceof WechatUnavailableException unavailable) {
				return unavailable.reason().name().toLowerCase(java.util.Locale.ROOT);
			}
			return failure instanceof WechatApiException ? "errcode" : "network";
		}
	};

	private JsonNode get(String appid, String path, Repeat repeat, WechatQuota.Priority priority,
			Map<String, String> query) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.apiBase + path + "?" + encode(query)))
			.timeout(this.timeout)
			.GET()
			.build();
		return call(appid, path, repeat, priority, request);
	}

	private JsonNode post(String appid, String path, Repeat repeat, WechatQuota.Priority priority,
			Map<String, String> query, Map<String, Object> body) {
		String uri = this.apiBase + path + (query.isEmpty() ? "" : "?" + encode(query));
		HttpRequest request = HttpRequest.newBuilder(URI.create(uri))
			.timeout(this.timeout)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(this.json.writeValueAsString(body)))
			.build();
		return call(appid, path, repeat, priority, request);
	}

	private JsonNode call(String appid, String path, Repeat repeat, WechatQuota.Priority priority,
			HttpRequest request) {
		if (this.quota != null) {
			this.quota.acquire(appid, path, priority);
		}
		try {
			return this.guard.call(appid, path, repeat, () -> send(path, request));
		}
		catch (UpstreamCallFailure ex) {
			WechatUnavailableException.Reason reason = switch (ex.kind()) {
				case TIMEOUT -> WechatUnavailableException.Reason.TIMEOUT;
				case CIRCUIT_OPEN -> WechatUnavailableException.Reason.CIRCUIT_OPEN;
				case BULKHEAD_FULL -> WechatUnavailableException.Reason.BULKHEAD_FULL;
			};
			throw new WechatUnavailableException(path, reason, "WeChat " + path + ": " + ex.getMessage(), ex);
		}
		catch (WechatApiException ex) {
			if (this.quota != null) {
				this.quota.answered(appid, path, ex.errcode());
			}
			throw ex;
		}
		catch (WechatException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw new WechatUnavailableException(path, WechatUnavailableException.Reason.NETWORK, ex.getMessage(), ex);
		}
	}

	private JsonNode send(String path, HttpRequest request) {
		HttpResponse<String> response;
		try {
			response = this.http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		}
		catch (HttpTimeoutException ex) {
			throw new WechatUnavailableException(path, WechatUnavailableException.Reason.TIMEOUT,
					"WeChat " + path + " timed out", ex);
		}
		catch (IOException ex) {
			throw new WechatUnavailableException(path, WechatUnavailableException.Reason.NETWORK,
					"WeChat " + path + " could not be reached: " + ex.getClass().getSimpleName(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new WechatUnavailableException(path, WechatUnavailableException.Reason.NETWORK, "interrupted", ex);
		}
		return answer(this.json, path, response.statusCode(), response.body());
	}

	/**
	 * What WeChat answered, as a JSON object without an {@code errcode}; anything else is a {@link WechatException}
	 * ({@link WechatUnavailableException} for no usable answer, {@link WechatApiException} for an error it names), and
	 * only that: the fuzz tests hold it to this for any bytes.
	 */
	static JsonNode answer(tools.jackson.databind.ObjectMapper json, String path, int status, String responseBody) {
		if (status != 200) {
			throw new WechatUnavailableException(path, WechatUnavailableException.Reason.HTTP_STATUS,
					"WeChat " + path + " answered HTTP " + status, null);
		}
		JsonNode body;
		try {
			body = json.readTree(responseBody);
		}
		catch (JacksonException ex) {
			throw new WechatUnavailableException(path, WechatUnavailableException.Reason.MALFORMED,
					"WeChat " + path + " answered something that is not JSON", ex);
		}
		if (body == null || !body.isObject()) {
			throw new WechatUnavailableException(path, WechatUnavailableException.Reason.MALFORMED,
					"WeChat " + path + " answered something that is not a JSON object", null);
		}
		int errcode = body.path("errcode").asInt(0);
		if (errcode != 0) {
			throw new WechatApiException(path, errcode, body.path("errmsg").asString(""));
		}
		return body;
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.path(field);
		return value.isMissingNode() || value.isNull() || value.asString("").isEmpty() ? null : value.asString();
	}

	private static Map<String, String> params(String... pairs) {
		Map<String, String> map = new LinkedHashMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			map.put(pairs[i], pairs[i + 1]);
		}
		return map;
	}

	/** Every value URL-encoded: an unescaped value must never break the URL (and leak the secret in an error). */
	private static String encode(Map<String, String> query) {
		return query.entrySet()
			.stream()
			.map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue() == null ? "" : e.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
	}

	public record UserToken(String accessToken, String openid, String unionid, String scope, boolean snapshotUser) {

		public boolean canReadProfile() {
			return this.scope != null && (this.scope.contains("snsapi_userinfo") || this.scope.contains("snsapi_login"));
		}
	}

	public record UserInfo(String nickname, String avatarUrl, String unionid) {
	}

	public record MiniProgramSession(String openid, String unionid, String sessionKey) {

		@Override
		public String toString() {
			return "MiniProgramSession[" + this.openid + "]"; // never the session key
		}
	}

	public record AppToken(String accessToken, long expiresIn) {
	}

	public record QrCode(String ticket, long expireSeconds, String url) {
	}

	public record Follower(String openid, String unionid, boolean subscribed) {
	}

	public record PhoneNumber(String purePhoneNumber, String countryCode) {

		public String e164() {
			return "+" + (this.countryCode == null ? "86" : this.countryCode) + this.purePhoneNumber;
		}
	}

}
