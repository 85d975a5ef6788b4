package dev.tongxing.wechat.emulator.web;

import dev.tongxing.wechat.emulator.EmulatorControl;
import dev.tongxing.wechat.emulator.core.EmulatorEngine;
import dev.tongxing.wechat.emulator.core.EventPusher;
import dev.tongxing.wechat.emulator.core.QrTicket;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.HashMap;
import java.util.Map;

/**
 * The official account's parametric QR codes as people meet them: the image (mp.weixin.qq.com's
 * /cgi-bin/showqrcode) and the page its URL opens in WeChat, where a test user scans, follows or not, and the
 * emulator pushes the event to the account's message endpoint.
 */
@RestController
public class FollowController {
    private final EmulatorControl control;
    private final EmulatorEngine engine;
    private final Pages pages = new Pages();

    public FollowController(EmulatorControl control) {
        this.control = control;
        this.engine = control.engine();
    }

    /** The image of a ticket: a QR code of its URL. Unknown ticket → 404. */
    @GetMapping("/cgi-bin/showqrcode")
    public ResponseEntity<String> showQrCode(@RequestParam(required = false) String ticket, HttpServletRequest req) {
        QrTicket t = ticket == null ? null : engine.qrTicket(ticket);
        if (t == null || !t.ticket().equals(ticket)) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).header(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8").body("unknown ticket");
        }
        return QrSvg.response(req.getScheme() + "://" + req.getServerName() + ":" + req.getServerPort() + "/q/" + t.urlId());
    }

    @GetMapping("/q/{id}")
    public ResponseEntity<String> page(@PathVariable String id) {
        QrTicket t = engine.qrTicket(id);
        if (t == null) return unknown();
        return page(t, null, null, false);
    }

    /** Scan as {@code user}; {@code follow}: a non-follower follows (subscribe) instead of only looking. */
    @PostMapping("/q/{id}/scan")
    public ResponseEntity<String> scan(@PathVariable String id, @RequestParam(required = false) String user,
                                       @RequestParam(defaultValue = "true") boolean follow) {
        QrTicket t = engine.qrTicket(id);
        if (t == null) return unknown();
        if (user == null || engine.user(user) == null) return page(t, "请选择一个测试用户 (pick a test user)", null, false);
        try {
            EventPusher.Delivery d = control.scanQrCode(t.ticket(), user, follow);
            return page(t, null, d, d == null);
        } catch (EmulatorEngine.ClientError e) {
            return page(t, e.getMessage(), null, false);
        }
    }

    private ResponseEntity<String> page(QrTicket t, String notice, EventPusher.Delivery delivery, boolean nothingPushed) {
        Map<String, Object> v = new HashMap<>();
        EmulatorEngine.App app = engine.app(t.appid());
        v.put("ticket", t.ticket());
        v.put("urlId", t.urlId());
        v.put("appId", t.appid());
        v.put("appName", app.name());
        v.put("originalId", engine.originalId(t.appid()));
        v.put("scene", t.scene());
        v.put("expired", t.expired(control.now()));
        v.put("users", engine.users());
        v.put("notice", notice);
        v.put("delivery", delivery);
        v.put("nothingPushed", nothingPushed);
        return ResponseEntity.ok().header(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
                .header(HttpHeaders.CACHE_CONTROL, "no-store").body(pages.render("follow", v));
    }

    private ResponseEntity<String> unknown() {
        Map<String, Object> v = new HashMap<>();
        v.put("code", "qrcode");
        v.put("title", "二维码已失效");
        v.put("detail", "unknown QR code");
        v.put("numeric", false);
        return ResponseEntity.ok().header(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8").body(pages.render("error", v));
    }
}
