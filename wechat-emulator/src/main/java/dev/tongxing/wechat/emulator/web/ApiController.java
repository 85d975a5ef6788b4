package dev.tongxing.wechat.emulator.web;

import dev.tongxing.wechat.emulator.EmulatorControl;
import dev.tongxing.wechat.emulator.core.EmulatorEngine;
import dev.tongxing.wechat.emulator.core.WxException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The api.weixin.qq.com endpoints. Always HTTP 200; errors are {"errcode":N,"errmsg":"..."}. */
@RestController
public class ApiController {
    private final EmulatorControl control;
    private final EmulatorEngine engine;

    public ApiController(EmulatorControl control) {
        this.control = control;
        this.engine = control.engine();
    }

    @RequestMapping("/sns/oauth2/access_token")
    public ResponseEntity<String> accessToken(HttpServletRequest req) {
        return get(req, () -> engine.snsAccessToken(params(req)));
    }

    @RequestMapping("/sns/oauth2/refresh_token")
    public ResponseEntity<String> refreshToken(HttpServletRequest req) {
        return get(req, () -> engine.snsRefreshToken(params(req)));
    }

    @RequestMapping("/sns/auth")
    public ResponseEntity<String> auth(HttpServletRequest req) {
        return get(req, () -> engine.snsAuth(params(req)));
    }

    @RequestMapping("/sns/userinfo")
    public ResponseEntity<String> userinfo(HttpServletRequest req) {
        return get(req, () -> selfHostedAvatar(engine.snsUserinfo(params(req)), req));
    }

    @RequestMapping("/sns/jscode2session")
    public ResponseEntity<String> jscode2session(HttpServletRequest req) {
        return get(req, () -> engine.jscode2session(params(req)));
    }

    @RequestMapping("/cgi-bin/token")
    public ResponseEntity<String> token(HttpServletRequest req) {
        return get(req, () -> engine.cgiToken(params(req), req.getRemoteAddr()));
    }

    @RequestMapping("/wxa/checksession")
    public ResponseEntity<String> checkSession(HttpServletRequest req) {
        return get(req, () -> engine.checkSession(params(req)));
    }

    @RequestMapping("/cgi-bin/stable_token")
    public ResponseEntity<String> stableToken(HttpServletRequest req) {
        return post(req, body -> engine.stableToken(body, req.getRemoteAddr()));
    }

    @RequestMapping("/wxa/business/getuserphonenumber")
    public ResponseEntity<String> phoneNumber(HttpServletRequest req) {
        return post(req, body -> engine.phoneNumber(req.getParameter("access_token"), body));
    }

    @RequestMapping("/cgi-bin/qrcode/create")
    public ResponseEntity<String> qrcodeCreate(HttpServletRequest req) {
        String base = req.getScheme() + "://" + req.getServerName() + ":" + req.getServerPort();
        return post(req, body -> engine.createQrCode(req.getParameter("access_token"), body, base));
    }

    @RequestMapping("/cgi-bin/user/info")
    public ResponseEntity<String> userInfo(HttpServletRequest req) {
        return get(req, () -> engine.officialAccountUserInfo(params(req)));
    }

    /** A self-hosted avatar ({@link dev.tongxing.wechat.emulator.core.EmulatorEngine#AVATAR_PATH}) made absolute: this emulator's URL. */
    private static Map<String, Object> selfHostedAvatar(Map<String, Object> userinfo, HttpServletRequest req) {
        if (!(userinfo.get("headimgurl") instanceof String url)
                || !url.startsWith(dev.tongxing.wechat.emulator.core.EmulatorEngine.AVATAR_PATH)) {
            return userinfo;
        }
        Map<String, Object> copy = new java.util.LinkedHashMap<>(userinfo);
        copy.put("headimgurl", req.getScheme() + "://" + req.getServerName() + ":" + req.getServerPort() + url);
        return copy;
    }

    private ResponseEntity<String> get(HttpServletRequest req, Supplier<Map<String, Object>> call) {
        if (!"GET".equals(req.getMethod())) return error(new WxException(43001));
        try {
            return reply(call.get());
        } catch (WxException e) {
            return error(e);
        }
    }

    private ResponseEntity<String> post(HttpServletRequest req, java.util.function.Function<Map<String, Object>, Map<String, Object>> call) {
        if (!"POST".equals(req.getMethod())) return error(new WxException(43002));
        Map<String, Object> body;
        try {
            body = Json.readObject(new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | IOException e) {
            return error(new WxException(47001));
        }
        try {
            return reply(call.apply(body));
        } catch (WxException e) {
            return error(e);
        }
    }

    static Map<String, String> params(HttpServletRequest req) {
        Map<String, String> p = new HashMap<>();
        req.getParameterMap().forEach((k, v) -> p.put(k, v.length == 0 ? "" : v[0]));
        return p;
    }

    private ResponseEntity<String> reply(Map<String, Object> body) {
        return ResponseEntity.ok().header(HttpHeaders.CONTENT_TYPE, control.settings().contentType).body(Json.write(body));
    }

    private ResponseEntity<String> error(WxException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("errcode", e.errcode());
        body.put("errmsg", engine.decorate(e.errmsg()));
        return reply(body);
    }
}
