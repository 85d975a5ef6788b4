package dev.tongxing.wechat.emulator.web;

import dev.tongxing.wechat.emulator.EmulatorControl;
import dev.tongxing.wechat.emulator.core.EmulatorEngine;
import dev.tongxing.wechat.emulator.core.ErrorCodes;
import dev.tongxing.wechat.emulator.core.RequestLog;
import dev.tongxing.wechat.emulator.fault.FaultEngine;
import dev.tongxing.wechat.emulator.quota.QuotaEngine;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Around every WeChat endpoint: answers 40066 for unknown (e.g. mis-cased) API paths, applies fault injection,
 * enforces the apps' quotas (after faults of phase "before": WeChat never saw those calls) and writes the request log. The control API (/_emulator) is neither faulted nor logged.
 */
public final class EmulatorFilter extends OncePerRequestFilter {

    static final Set<String> API_PATHS = Set.of(
            "/sns/oauth2/access_token", "/sns/oauth2/refresh_token", "/sns/auth", "/sns/userinfo",
            "/sns/jscode2session", "/cgi-bin/token", "/cgi-bin/stable_token",
            "/wxa/business/getuserphonenumber", "/wxa/checksession", "/cgi-bin/qrcode/create", "/cgi-bin/user/info",
            "/cgi-bin/showqrcode");
    private static final Pattern ERRCODE = Pattern.compile("\"errcode\"\\s*:\\s*(-?\\d+)");
    private static final Pattern JSON_SECRET = Pattern.compile("(\"secret\"\\s*:\\s*)\"[^\"]*\"");
    private static final Pattern SESSION_PATH = Pattern.compile("^/connect/session/([A-Za-z0-9]+)(/.*)?$");

    private final EmulatorControl control;

    public EmulatorFilter(EmulatorControl control) {
        this.control = control;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.startsWith("/_emulator")) {
            chain.doFilter(request, response);
            return;
        }
        long started = System.nanoTime();
        String contentType = request.getContentType();
        boolean form = contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
        HttpServletRequest req = request;
        String body = null;
        if (!form && !"GET".equals(request.getMethod())) {
            CachedBodyRequest cached = new CachedBodyRequest(request);
            body = cached.bodyText();
            req = cached;
        }
        Map<String, List<String>> params = params(req);
        String appid = appid(path, params, body);
        ContentCachingResponseWrapper res = new ContentCachingResponseWrapper(response);

        String lower = path.toLowerCase(Locale.ROOT);
        boolean apiLike = lower.startsWith("/sns/") || lower.startsWith("/cgi-bin/") || lower.startsWith("/wxa/");
        FaultEngine.Decision decision = FaultEngine.Decision.NONE;
        boolean dropped = false;
        QuotaEngine.Refusal quota = null;
        try {
            if (apiLike && !API_PATHS.contains(path)) {
                writeError(res, 40066, null);
            } else {
                decision = control.faultEngine().decide(path, appid);
                if (decision.latencyMs() > 0) sleep(decision.latencyMs());
                if (decision.before() == null && API_PATHS.contains(path)) quota = control.quotaEngine().acquire(path, appid);
                if (decision.before() != null) {
                    dropped = apply(decision.before(), res, response, null);
                } else if (quota != null) {
                    writeError(res, quota.errcode(), null);
                } else {
                    chain.doFilter(req, res);
                    if (decision.after() != null) {
                        String produced = new String(res.getContentAsByteArray(), StandardCharsets.UTF_8);
                        res.resetBuffer();
                        dropped = apply(decision.after(), res, response, produced);
                    }
                }
            }
        } finally {
            String sent;
            int status;
            if (dropped) {
                sent = "(connection dropped)";
                status = 0;
            } else {
                sent = new String(res.getContentAsByteArray(), StandardCharsets.UTF_8);
                status = res.getStatus();
            }
            Matcher m = ERRCODE.matcher(sent);
            Integer errcode = m.find() ? Integer.valueOf(m.group(1)) : null;
            RequestLog log = control.requestLog();
            // logged before the answer leaves: a client that has its answer always finds the entry
            log.add(new RequestLog.Entry(log.nextSeq(), control.now().toString(), request.getMethod(), path, params,
                    body == null ? null : JSON_SECRET.matcher(body).replaceAll("$1\"***\""), appid, status, sent, errcode,
                    decision.ruleIds(), (System.nanoTime() - started) / 1_000_000,
                    quota == null ? null : quota.label()));
            if (!dropped) {
                res.copyBodyToResponse();
            }
        }
    }

    private static Map<String, List<String>> params(HttpServletRequest req) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        req.getParameterMap().forEach((k, v) -> out.put(k, "secret".equals(k) ? List.of("***") : List.of(v)));
        return out;
    }

    private String appid(String path, Map<String, List<String>> params, String body) {
        List<String> a = params.get("appid");
        if (a != null && !a.isEmpty() && !a.get(0).isEmpty()) return a.get(0);
        if (body != null && path.equals("/cgi-bin/stable_token")) {
            try {
                Object v = Json.readObject(body).get("appid");
                if (v instanceof String s) return s;
            } catch (IllegalArgumentException ignored) {
                // malformed body: the endpoint answers it
            }
        }
        List<String> t = params.get("access_token");
        if (t != null && !t.isEmpty()) return control.engine().appidOfToken(t.get(0));
        Matcher m = SESSION_PATH.matcher(path);
        if (m.matches()) {
            try {
                return control.engine().session(m.group(1)).app.appid();
            } catch (EmulatorEngine.PageError ignored) {
                return null;
            }
        }
        return null;
    }

    private void writeError(HttpServletResponse res, int errcode, String errmsg) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("errcode", errcode);
        body.put("errmsg", control.engine().decorate(errmsg != null ? errmsg : ErrorCodes.text(errcode)));
        res.setStatus(200);
        res.setContentType(control.settings().contentType);
        res.getOutputStream().write(Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    /** Applies a fault action; returns true when the connection was dropped. */
    private boolean apply(FaultEngine.Action action, ContentCachingResponseWrapper res, HttpServletResponse raw, String produced)
            throws IOException {
        switch (action.kind()) {
            case ERRCODE -> writeError(res, action.errcode(), action.errmsg());
            case HTTP_503 -> {
                res.setStatus(503);
                res.setContentType("text/html; charset=utf-8");
                res.getOutputStream().write("<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service Temporarily Unavailable</h1></center></body></html>"
                        .getBytes(StandardCharsets.UTF_8));
            }
            case MALFORMED -> {
                res.setStatus(200);
                String kind = action.malformed();
                String text = switch (kind) {
                    case "html" -> "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";
                    case "empty" -> "";
                    case "garbage" -> "\u0000\u00ff<xml><![CDATA[not json]]>";
                    default -> {
                        String full = produced != null && !produced.isEmpty() ? produced : "{\"access_token\":\"ACCESS_TOKEN\",\"expires_in\":7200}";
                        yield full.substring(0, Math.max(1, full.length() / 2));
                    }
                };
                res.setContentType("html".equals(kind) ? "text/html; charset=utf-8" : control.settings().contentType);
                res.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            }
            case DROP -> {
                // Promise a body, send a few bytes, close: the client sees the connection die mid-reply.
                raw.setStatus(200);
                raw.setHeader("Connection", "close");
                raw.setContentType(control.settings().contentType);
                raw.setContentLength(512);
                OutputStream out = raw.getOutputStream();
                out.write("{\"err".getBytes(StandardCharsets.UTF_8));
                raw.flushBuffer();
                return true;
            }
        }
        return false;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
