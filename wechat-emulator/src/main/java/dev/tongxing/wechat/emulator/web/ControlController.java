package dev.tongxing.wechat.emulator.web;

import dev.tongxing.wechat.emulator.EmulatorControl;
import dev.tongxing.wechat.emulator.config.EmulatorConfig;
import dev.tongxing.wechat.emulator.core.EmulatorEngine;
import dev.tongxing.wechat.emulator.core.EventPusher;
import dev.tongxing.wechat.emulator.core.MessageEndpoint;
import dev.tongxing.wechat.emulator.core.RequestLog;
import dev.tongxing.wechat.emulator.fault.FaultRule;
import dev.tongxing.wechat.emulator.quota.QuotaRule;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** The emulator's own control API (JSON), under /_emulator. Documented in README.md. */
@RestController
@RequestMapping("/_emulator")
public class ControlController {
    private final EmulatorControl control;
    private final EmulatorEngine engine;

    public ControlController(EmulatorControl control) {
        this.control = control;
        this.engine = control.engine();
    }

    /** A user's avatar, drawn here (settings.selfHostedAvatars points headimgurl at it): their initial on a disc. */
    @GetMapping(path = "/avatars/{user}.svg", produces = "image/svg+xml")
    public ResponseEntity<String> avatar(@org.springframework.web.bind.annotation.PathVariable("user") String user) {
        dev.tongxing.wechat.emulator.config.EmulatorConfig.UserConfig u = engine.user(user);
        if (u == null) return ResponseEntity.notFound().build();
        String name = u.nickname == null || u.nickname.isEmpty() ? u.id : u.nickname;
        String initial = new String(Character.toChars(name.codePointAt(0)))
                .replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        int hue = Math.floorMod(u.id.hashCode(), 360);
        return ResponseEntity.ok()
                .contentType(org.springframework.http.MediaType.valueOf("image/svg+xml"))
                .body("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"132\" height=\"132\" viewBox=\"0 0 132 132\">"
                        + "<rect width=\"132\" height=\"132\" fill=\"hsl(" + hue + ", 55%, 55%)\"/>"
                        + "<text x=\"66\" y=\"86\" font-size=\"64\" text-anchor=\"middle\" fill=\"#fff\""
                        + " font-family=\"sans-serif\">" + initial + "</text></svg>");
    }

    @GetMapping({"", "/"})
    public ResponseEntity<String> index() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("emulator", "wechat-emulator");
        r.put("now", control.now().toString());
        r.put("endpoints", List.of(
                "GET /_emulator/config", "PATCH /_emulator/settings", "POST /_emulator/apps", "POST /_emulator/users",
                "POST /_emulator/codes", "POST /_emulator/mobile/auth", "POST /_emulator/miniprogram/login",
                "POST /_emulator/miniprogram/phone-code", "GET /_emulator/ids?appid=&user=",
                "POST /_emulator/users/{id}/change-password",
                "GET|POST|DELETE /_emulator/faults", "DELETE /_emulator/faults/{id}",
                "GET|POST|DELETE /_emulator/quotas", "DELETE /_emulator/quotas/{id}", "GET /_emulator/quotas/usage",
                "POST /_emulator/quotas/clear-usage",
                "GET|PUT|DELETE /_emulator/official-account/{appid}/message-endpoint",
                "POST /_emulator/official-account/{appid}/verify-url", "POST /_emulator/official-account/scan",
                "POST /_emulator/official-account/unfollow", "GET /_emulator/official-account/follows?appid=&user=",
                "GET|DELETE /_emulator/official-account/pushes",
                "GET|DELETE /_emulator/requests", "GET /_emulator/clock", "PUT /_emulator/clock",
                "POST /_emulator/clock/advance", "POST /_emulator/seed", "POST /_emulator/reset"));
        return json(r);
    }

    @GetMapping("/config")
    public ResponseEntity<String> config() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("accounts", engine.accounts());
        List<Map<String, Object>> apps = new ArrayList<>();
        for (EmulatorEngine.App a : engine.apps()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("appid", a.appid());
            m.put("secret", a.secret());
            m.put("kind", a.kind().id());
            m.put("name", a.name());
            m.put("account", a.account());
            m.put("callbackDomains", a.callbackDomains());
            m.put("verified", a.verified());
            m.put("secretFrozen", a.secretFrozen());
            m.put("ipWhitelist", a.ipWhitelist());
            m.put("phoneQuota", a.phoneQuota());
            apps.add(m);
        }
        r.put("apps", apps);
        r.put("users", engine.users());
        r.put("settings", engine.settings());
        r.put("quotas", control.quotas());
        r.put("seed", control.faultEngine().seed());
        return json(r);
    }

    @PatchMapping("/settings")
    public ResponseEntity<String> settings(@RequestBody String body) {
        Json.MAPPER.readerForUpdating(engine.settings()).readValue(body);
        control.requestLog().setLimit(engine.settings().requestLogLimit);
        return json(engine.settings());
    }

    @PostMapping("/apps")
    public ResponseEntity<String> addApp(@RequestBody String body) {
        EmulatorConfig.AppConfig app = Json.read(body, EmulatorConfig.AppConfig.class);
        control.addApp(app);
        return json(Map.of("appid", app.appid));
    }

    @PostMapping("/users")
    public ResponseEntity<String> addUser(@RequestBody String body) {
        EmulatorConfig.UserConfig user = Json.read(body, EmulatorConfig.UserConfig.class);
        control.addUser(user);
        return json(Map.of("id", user.id));
    }

    @PostMapping("/users/{id}/change-password")
    public ResponseEntity<String> changePassword(@PathVariable String id) {
        control.changePassword(id);
        return json(Map.of("user", id, "passwordChanged", true));
    }

    /** Any code a user's consent would produce: {"appid","user","scope"?,"snapshot"?}. */
    @PostMapping("/codes")
    public ResponseEntity<String> code(@RequestBody String body) {
        Map<String, Object> b = Json.readObject(body);
        String appid = str(b, "appid");
        String user = str(b, "user");
        String code = engine.authorizationCode(appid, user, str(b, "scope"), Boolean.TRUE.equals(b.get("snapshot")));
        return json(Map.of("code", code, "appid", appid, "user", user));
    }

    /** Plays the Open SDK: {"appid","user","state"?,"action": "confirm"|"deny"|"cancel"} → SendAuth.Resp. */
    @PostMapping("/mobile/auth")
    public ResponseEntity<String> mobileAuth(@RequestBody String body) {
        Map<String, Object> b = Json.readObject(body);
        String action = b.get("action") == null ? "confirm" : str(b, "action");
        String state = b.get("state") == null ? "" : str(b, "state");
        Map<String, Object> r = new LinkedHashMap<>();
        switch (action) {
            case "confirm" -> {
                String code = control.mobileCode(str(b, "appid"), str(b, "user"));
                r.put("errCode", 0);
                r.put("code", code);
                r.put("state", state);
                r.put("lang", "zh_CN");
                r.put("country", "CN");
            }
            case "deny" -> {
                r.put("errCode", -4);
                r.put("state", state);
            }
            case "cancel" -> {
                r.put("errCode", -2);
                r.put("state", state);
            }
            default -> throw new IllegalArgumentException("action must be confirm | deny | cancel");
        }
        return json(r);
    }

    /** Plays wx.login(): {"appid","user"} → {"code"}. */
    @PostMapping("/miniprogram/login")
    public ResponseEntity<String> miniLogin(@RequestBody String body) {
        Map<String, Object> b = Json.readObject(body);
        return json(Map.of("code", control.miniProgramLoginCode(str(b, "appid"), str(b, "user"))));
    }

    /** Plays the getPhoneNumber button: {"appid","user"} → {"code"} or 409 {"errno":1400001,...}. */
    @PostMapping("/miniprogram/phone-code")
    public ResponseEntity<String> phoneCode(@RequestBody String body) {
        Map<String, Object> b = Json.readObject(body);
        try {
            return json(Map.of("code", control.phoneNumberCode(str(b, "appid"), str(b, "user"))));
        } catch (EmulatorEngine.ClientError e) {
            return json(HttpStatus.CONFLICT, Map.of("errno", e.errno, "errMsg", e.getMessage()));
        }
    }

    @GetMapping("/ids")
    public ResponseEntity<String> ids(@RequestParam String appid, @RequestParam String user) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("openid", control.openid(appid, user));
        r.put("unionid", control.unionid(appid, user));
        return json(r);
    }

    // --- official account: server configuration, scans, follows, pushes

    @GetMapping("/official-account/{appid}/message-endpoint")
    public ResponseEntity<String> messageEndpoint(@PathVariable String appid) {
        MessageEndpoint e = control.messageEndpoint(appid);
        return e == null ? json(HttpStatus.NOT_FOUND, Map.of("error", appid + " has no message endpoint")) : json(e);
    }

    /** {"url","token","encodingAesKey"?,"mode"?: plain | compatible | safe} */
    @PutMapping("/official-account/{appid}/message-endpoint")
    public ResponseEntity<String> setMessageEndpoint(@PathVariable String appid, @RequestBody String body) {
        Map<String, Object> b = Json.readObject(body);
        MessageEndpoint e = new MessageEndpoint(str(b, "url"), str(b, "token"), str(b, "encodingAesKey"), str(b, "mode"));
        control.setMessageEndpoint(appid, e);
        return json(e);
    }

    @DeleteMapping("/official-account/{appid}/message-endpoint")
    public ResponseEntity<String> removeMessageEndpoint(@PathVariable String appid) {
        control.setMessageEndpoint(appid, null);
        return json(Map.of("removed", true));
    }

    /** WeChat's check of the endpoint (signed GET with echostr). */
    @PostMapping("/official-account/{appid}/verify-url")
    public ResponseEntity<String> verifyUrl(@PathVariable String appid) {
        return json(control.verifyMessageEndpoint(appid));
    }

    /**
     * {"ticket" (or the id of the /q/ URL), "user", "follow"?: true} → the delivery of the SCAN/subscribe event,
     * {"pushed": false} when a non-follower does not follow, 409 {"errno","errMsg"} when the code has expired.
     */
    @PostMapping("/official-account/scan")
    public ResponseEntity<String> scan(@RequestBody String body) {
        Map<String, Object> b = Json.readObject(body);
        boolean follow = b.get("follow") == null || Boolean.TRUE.equals(b.get("follow")) || "true".equals(b.get("follow"));
        try {
            EventPusher.Delivery d = control.scanQrCode(str(b, "ticket"), str(b, "user"), follow);
            return d == null ? json(Map.of("pushed", false)) : json(d);
        } catch (EmulatorEngine.ClientError e) {
            return json(HttpStatus.CONFLICT, Map.of("errno", e.errno, "errMsg", e.getMessage()));
        }
    }

    /** {"appid","user"} → the delivery of the unsubscribe event, or {"pushed": false} when they did not follow. */
    @PostMapping("/official-account/unfollow")
    public ResponseEntity<String> unfollow(@RequestBody String body) {
        Map<String, Object> b = Json.readObject(body);
        EventPusher.Delivery d = control.unfollow(str(b, "appid"), str(b, "user"));
        return d == null ? json(Map.of("pushed", false)) : json(d);
    }

    @GetMapping("/official-account/follows")
    public ResponseEntity<String> follows(@RequestParam String appid, @RequestParam String user) {
        return json(Map.of("appid", appid, "user", user, "follows", control.follows(appid, user)));
    }

    /** Pushed events, oldest first; filters appid, event. */
    @GetMapping("/official-account/pushes")
    public ResponseEntity<String> pushes(@RequestParam(required = false) String appid, @RequestParam(required = false) String event) {
        return json(control.pushes().stream()
                .filter(d -> appid == null || appid.equals(d.appid()))
                .filter(d -> event == null || event.equals(d.event())).toList());
    }

    @DeleteMapping("/official-account/pushes")
    public ResponseEntity<String> clearPushes() {
        control.clearPushes();
        return json(Map.of("cleared", true));
    }

    // --- faults

    @GetMapping("/faults")
    public ResponseEntity<String> faults() {
        return json(control.faults());
    }

    @PostMapping("/faults")
    public ResponseEntity<String> addFault(@RequestBody String body) {
        String trimmed = body.trim();
        List<String> ids = new ArrayList<>();
        if (trimmed.startsWith("[")) {
            for (FaultRule r : Json.read(trimmed, FaultRule[].class)) ids.add(control.addFault(r));
        } else {
            ids.add(control.addFault(Json.read(trimmed, FaultRule.class)));
        }
        return json(Map.of("ids", ids));
    }

    @DeleteMapping("/faults")
    public ResponseEntity<String> clearFaults() {
        control.clearFaults();
        return json(Map.of("cleared", true));
    }

    @DeleteMapping("/faults/{id}")
    public ResponseEntity<String> removeFault(@PathVariable String id) {
        boolean removed = control.removeFault(id);
        return json(removed ? HttpStatus.OK : HttpStatus.NOT_FOUND, Map.of("removed", removed));
    }

    // --- quotas

    @GetMapping("/quotas")
    public ResponseEntity<String> quotas() {
        return json(control.quotas());
    }

    @PostMapping("/quotas")
    public ResponseEntity<String> addQuota(@RequestBody String body) {
        String trimmed = body.trim();
        List<String> ids = new ArrayList<>();
        if (trimmed.startsWith("[")) {
            for (QuotaRule r : Json.read(trimmed, QuotaRule[].class)) ids.add(control.addQuota(r));
        } else {
            ids.add(control.addQuota(Json.read(trimmed, QuotaRule.class)));
        }
        return json(Map.of("ids", ids));
    }

    @DeleteMapping("/quotas")
    public ResponseEntity<String> clearQuotas() {
        control.clearQuotas();
        return json(Map.of("cleared", true));
    }

    @DeleteMapping("/quotas/{id}")
    public ResponseEntity<String> removeQuota(@PathVariable String id) {
        boolean removed = control.removeQuota(id);
        return json(removed ? HttpStatus.OK : HttpStatus.NOT_FOUND, Map.of("removed", removed));
    }

    /** Calls counted per rule and app in the current second, minute and day and in total. */
    @GetMapping("/quotas/usage")
    public ResponseEntity<String> quotaUsage(@RequestParam(required = false) String appid) {
        return json(control.quotaUsage().stream().filter(u -> appid == null || appid.equals(u.appid())).toList());
    }

    /** {"appid": "..."} or {} for every app: the counted calls are forgotten (an admin's "clear quota"). */
    @PostMapping("/quotas/clear-usage")
    public ResponseEntity<String> clearQuotaUsage(@RequestBody(required = false) String body) {
        String appid = body == null || body.isBlank() ? null : str(Json.readObject(body), "appid");
        control.clearQuotaUsage(appid);
        return json(Map.of("cleared", appid == null ? "*" : appid));
    }

    // --- request log

    /**
     * Filters: path, appid, method, errcode, quota (a rule id, "rule:limit", or * for every refused call),
     * and param.NAME=VALUE (e.g. param.code=abc); since=SEQ.
     */
    @GetMapping("/requests")
    public ResponseEntity<String> requests(HttpServletRequest req) {
        Predicate<RequestLog.Entry> p = e -> true;
        for (Map.Entry<String, String[]> q : req.getParameterMap().entrySet()) {
            String k = q.getKey();
            String v = q.getValue()[0];
            Predicate<RequestLog.Entry> f = switch (k) {
                case "path" -> e -> e.path().equals(v);
                case "appid" -> e -> v.equals(e.appid());
                case "method" -> e -> e.method().equalsIgnoreCase(v);
                case "errcode" -> e -> e.errcode() != null && e.errcode() == Integer.parseInt(v);
                case "quota" -> e -> e.quota() != null && (v.equals("*") || e.quota().equals(v) || e.quota().startsWith(v + ":"));
                case "since" -> e -> e.seq() > Long.parseLong(v);
                default -> k.startsWith("param.") ? e -> v.equals(e.param(k.substring(6))) : null;
            };
            if (f == null) throw new IllegalArgumentException("unknown filter " + k);
            p = p.and(f);
        }
        return json(control.requests(p));
    }

    @DeleteMapping("/requests")
    public ResponseEntity<String> clearRequests() {
        control.clearRequests();
        return json(Map.of("cleared", true));
    }

    // --- clock, seed, reset

    @GetMapping("/clock")
    public ResponseEntity<String> clock() {
        return json(Map.of("now", control.now().toString()));
    }

    /** {"instant": "2030-01-01T00:00:00Z"} */
    @PutMapping("/clock")
    public ResponseEntity<String> setClock(@RequestBody String body) {
        return json(Map.of("now", control.setClock(Instant.parse(str(Json.readObject(body), "instant"))).toString()));
    }

    /** {"seconds": 601} */
    @PostMapping("/clock/advance")
    public ResponseEntity<String> advance(@RequestBody String body) {
        Object s = Json.readObject(body).get("seconds");
        if (!(s instanceof Number n)) throw new IllegalArgumentException("seconds (number) required");
        return json(Map.of("now", control.advanceClock(Duration.ofMillis(Math.round(n.doubleValue() * 1000))).toString()));
    }

    /** {"seed": 42} */
    @PostMapping("/seed")
    public ResponseEntity<String> seed(@RequestBody String body) {
        Object s = Json.readObject(body).get("seed");
        if (!(s instanceof Number n)) throw new IllegalArgumentException("seed (number) required");
        control.reseed(n.longValue());
        return json(Map.of("seed", n.longValue()));
    }

    @PostMapping("/reset")
    public ResponseEntity<String> reset() {
        control.reset();
        return json(Map.of("reset", true));
    }

    @ExceptionHandler({IllegalArgumentException.class, RuntimeException.class})
    public ResponseEntity<String> badRequest(RuntimeException e) {
        return json(HttpStatus.BAD_REQUEST, Map.of("error", String.valueOf(e.getMessage())));
    }

    private static String str(Map<String, Object> b, String key) {
        Object v = b.get(key);
        if (v == null) return null;
        return String.valueOf(v);
    }

    private static ResponseEntity<String> json(Object body) {
        return json(HttpStatus.OK, body);
    }

    private static ResponseEntity<String> json(HttpStatus status, Object body) {
        return ResponseEntity.status(status).header(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8").body(Json.write(body));
    }
}
