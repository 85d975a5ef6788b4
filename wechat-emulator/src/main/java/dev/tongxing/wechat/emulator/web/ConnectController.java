package dev.tongxing.wechat.emulator.web;

import dev.tongxing.wechat.emulator.EmulatorControl;
import dev.tongxing.wechat.emulator.config.EmulatorConfig.UserConfig;
import dev.tongxing.wechat.emulator.core.EmulatorEngine;
import dev.tongxing.wechat.emulator.core.EmulatorEngine.AuthSession;
import dev.tongxing.wechat.emulator.core.EmulatorEngine.PageError;
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
import java.util.List;
import java.util.Map;

/**
 * The open.weixin.qq.com pages: website QR login and official-account web authorization, with the scanning /
 * "phone" simulation. Automation hooks are data-testid / data-user / data-action attributes (see README).
 */
@RestController
public class ConnectController {
    private final EmulatorEngine engine;
    private final Pages pages = new Pages();

    public ConnectController(EmulatorControl control) {
        this.engine = control.engine();
    }

    @GetMapping("/connect/qrconnect")
    public ResponseEntity<String> qrconnect(HttpServletRequest req) {
        try {
            AuthSession s = engine.openQrSession(ApiController.params(req));
            String auto = engine.settings().autoApproveUser;
            if (auto != null && !auto.isBlank()) {
                engine.scan(s, auto, false);
                return finish(s);
            }
            return page(s, null);
        } catch (PageError e) {
            return error(e);
        }
    }

    @GetMapping("/connect/oauth2/authorize")
    public ResponseEntity<String> authorize(HttpServletRequest req) {
        try {
            AuthSession s = engine.openOaSession(ApiController.params(req));
            String auto = engine.settings().autoApproveUser;
            if (auto != null && !auto.isBlank()) {
                engine.scan(s, auto, false);
                return finish(s);
            }
            return page(s, null);
        } catch (PageError e) {
            return error(e);
        }
    }

    @GetMapping("/connect/session/{id}")
    public ResponseEntity<String> session(@PathVariable String id) {
        try {
            return page(engine.session(id), null);
        } catch (PageError e) {
            return error(e);
        }
    }

    /** "Scan" the QR code (website) or open the page in WeChat (official account) as the chosen user. */
    @PostMapping("/connect/session/{id}/scan")
    public ResponseEntity<String> scan(@PathVariable String id, @RequestParam(required = false) String user,
                                       @RequestParam(defaultValue = "false") boolean snapshot) {
        try {
            AuthSession s = engine.session(id);
            if (user == null || engine.user(user) == null) return page(s, "请选择一个测试用户 (pick a test user)");
            engine.scan(s, user, snapshot);
            if (engine.silent(s)) return finish(s);
            return seeOther("/connect/session/" + id);
        } catch (PageError e) {
            return error(e);
        }
    }

    @PostMapping("/connect/session/{id}/confirm")
    public ResponseEntity<String> confirm(@PathVariable String id) {
        try {
            return finish(engine.session(id));
        } catch (PageError e) {
            return error(e);
        }
    }

    @PostMapping("/connect/session/{id}/cancel")
    public ResponseEntity<String> cancel(@PathVariable String id) {
        try {
            String target = engine.cancel(engine.session(id));
            return target != null ? redirect(target) : seeOther("/connect/session/" + id);
        } catch (PageError e) {
            return error(e);
        }
    }

    /** The QR image (SVG). It encodes the confirm URL as WeChat's does; scanning it is simulated on the page. */
    @GetMapping("/connect/qrcode/{id}")
    public ResponseEntity<String> qrcode(@PathVariable String id, HttpServletRequest req) {
        String content = req.getScheme() + "://" + req.getServerName() + ":" + req.getServerPort() + "/connect/confirm?uuid=" + id;
        return QrSvg.response(content);
    }

    /** 302 to the callback — or, with the double-callback quirk on, a page that hits it twice. */
    private ResponseEntity<String> finish(AuthSession s) {
        String mode = engine.settings().doubleCallback;
        // anything but the two quirk modes is off (YAML 1.1 reads an unquoted off as false)
        if (!"same-code".equals(mode) && !"new-code".equals(mode)) return redirect(engine.confirm(s));
        List<String> urls = engine.confirmTwice(s);
        Map<String, Object> v = new HashMap<>();
        v.put("first", urls.get(0));
        v.put("second", urls.get(1));
        return html(HttpStatus.OK, pages.render("double-callback", v));
    }

    private ResponseEntity<String> page(AuthSession s, String notice) {
        Map<String, Object> v = new HashMap<>();
        v.put("sessionId", s.id);
        v.put("appName", s.app.name());
        v.put("appId", s.app.appid());
        v.put("scope", s.scope);
        v.put("qr", s.qr);
        v.put("users", engine.users());
        v.put("notice", notice);
        UserConfig u = s.userId == null ? null : engine.user(s.userId);
        v.put("user", u);
        v.put("status", s.status.name());
        v.put("scopeUserinfo", EmulatorEngine.SCOPE_USERINFO.equals(s.scope));
        return html(HttpStatus.OK, pages.render("connect", v));
    }

    private ResponseEntity<String> error(PageError e) {
        Map<String, Object> v = new HashMap<>();
        v.put("code", e.code);
        v.put("title", e.title);
        v.put("detail", e.getMessage());
        v.put("numeric", e.code != null && e.code.chars().allMatch(Character::isDigit));
        return html(HttpStatus.OK, pages.render("error", v));
    }

    private static ResponseEntity<String> html(HttpStatus status, String body) {
        return ResponseEntity.status(status).header(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
                .header(HttpHeaders.CACHE_CONTROL, "no-store").body(body);
    }

    private static ResponseEntity<String> redirect(String location) {
        return ResponseEntity.status(HttpStatus.FOUND).header(HttpHeaders.LOCATION, location).build();
    }

    private static ResponseEntity<String> seeOther(String location) {
        return ResponseEntity.status(HttpStatus.SEE_OTHER).header(HttpHeaders.LOCATION, location).build();
    }

}
