package dev.tongxing.server.connector.wechat.follow;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import dev.tongxing.server.login.PendingLogins;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.context.request.async.DeferredResult;
import tools.jackson.databind.json.JsonMapper;

/**
 * The page between the broker's start and its callback: the QR code, and the wait for its scan. The page asks
 * {@code /login/wechat-follow/status} and the answer comes when the code is scanned (on any node) or after
 * {@code tongxing.wechat.follow.long-poll}, parked without a thread meanwhile: one request per browser per wait, not a
 * poll a second. Both show nothing to a browser that did not begin the login.
 */
@Controller
class FollowLoginController {

	static final String SCAN_PAGE = "/login/wechat-follow/scan";

	static final String STATUS = "/login/wechat-follow/status";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final FollowProperties properties;

	private final PendingLogins pendingLogins;

	private final FollowScenes scenes;

	private final FollowWaiters waiters;

	private final Clock clock;

	FollowLoginController(FollowProperties properties, PendingLogins pendingLogins, FollowScenes scenes,
			FollowWaiters waiters, Clock clock) {
		this.properties = properties;
		this.pendingLogins = pendingLogins;
		this.scenes = scenes;
		this.waiters = waiters;
		this.clock = clock;
	}

	@GetMapping(SCAN_PAGE)
	String scan(@RequestParam(required = false) String state, HttpServletRequest request, Model model) {
		Optional<FollowScenes.Scene> scene = scene(state, request);
		if (scene.isEmpty() || !live(scene.get()) && !scene.get().scanned()) {
			return "redirect:/login?error=wechat-follow.expired";
		}
		model.addAttribute("qr", qrImage(scene.get().url()));
		model.addAttribute("ticket", scene.get().ticket());
		model.addAttribute("expiresAt", String.valueOf(scene.get().expiresAt().toEpochMilli()));
		model.addAttribute("statusUrl", STATUS + "?state=" + encode(state));
		model.addAttribute("callbackUrl", callback(state));
		return "wechat/follow";
	}

	/**
	 * {@code {"status": "waiting" | "scanned" | "expired", "next": …}}: scanned names the callback to go to; waiting
	 * means ask again; expired, that this code is over (a new one is a new login).
	 */
	@GetMapping(STATUS)
	DeferredResult<ResponseEntity<String>> status(@RequestParam(required = false) String state,
			HttpServletRequest request) {
		DeferredResult<ResponseEntity<String>> result = new DeferredResult<>(
				this.properties.longPoll().toMillis(), answer("waiting", null));
		Optional<FollowScenes.Scene> scene = scene(state, request);
		if (scene.isEmpty()) {
			result.setResult(answer("expired", null));
			return result;
		}
		if (scene.get().scanned()) {
			result.setResult(answer("scanned", callback(state)));
			return result;
		}
		if (!live(scene.get())) {
			result.setResult(answer("expired", null));
			return result;
		}
		String digest = FollowScenes.digest(state);
		Runnable onScan = () -> result.setResult(answer("scanned", callback(state)));
		this.waiters.await(digest, onScan);
		result.onCompletion(() -> this.waiters.leave(digest, onScan));
		// a scan recorded between the read above and the registration is not missed
		if (this.scenes.scanned(java.util.List.of(digest)).contains(digest)) {
			onScan.run();
		}
		return result;
	}

	private Optional<FollowScenes.Scene> scene(String state, HttpServletRequest request) {
		if (!this.properties.enabled() || !this.pendingLogins.holds(state, FollowLoginConnector.METHOD, request)) {
			return Optional.empty();
		}
		return this.scenes.byState(state);
	}

	private boolean live(FollowScenes.Scene scene) {
		return scene.expiresAt().isAfter(this.clock.instant());
	}

	private static String callback(String state) {
		return "/login/wechat-follow/callback?state=" + encode(state);
	}

	/** JSON whatever the request accepts (a script's fetch, or a plain GET): the type is set, not negotiated. */
	private static ResponseEntity<String> answer(String status, String next) {
		Map<String, String> body = next == null ? Map.of("status", status) : Map.of("status", status, "next", next);
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noStore())
			.contentType(MediaType.APPLICATION_JSON)
			.body(JSON.writeValueAsString(body));
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	/**
	 * The QR code drawn here from its {@code url} (WeChat: "generate the image yourself from it"), as an SVG data
	 * URI: no third-party image host in the page's policy, and the same in development against the emulator.
	 */
	static String qrImage(String content) {
		BitMatrix m;
		try {
			m = new QRCodeWriter().encode(content, BarcodeFormat.QR_CODE, 0, 0, Map.of(EncodeHintType.MARGIN, 2));
		}
		catch (WriterException ex) {
			throw new IllegalStateException("the QR code's url cannot be drawn", ex);
		}
		StringBuilder svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
			.append(m.getWidth()).append(' ').append(m.getHeight())
			.append("\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path d=\"");
		for (int y = 0; y < m.getHeight(); y++) {
			for (int x = 0; x < m.getWidth(); x++) {
				if (m.get(x, y)) {
					svg.append('M').append(x).append(',').append(y).append("h1v1h-1z");
				}
			}
		}
		svg.append("\"/></svg>");
		return "data:image/svg+xml;base64,"
				+ Base64.getEncoder().encodeToString(svg.toString().getBytes(StandardCharsets.UTF_8));
	}

}
