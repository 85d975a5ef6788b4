package dev.tongxing.wechat.emulator.core;

import dev.tongxing.wechat.emulator.config.EmulatorConfig.Settings;
import dev.tongxing.wechat.emulator.core.EmulatorEngine.App;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.tongxing.wechat.emulator.core.Params.expired;

/**
 * App-level access tokens: the classic cgi-bin/token (each call supersedes the last after an overlap) and
 * cgi-bin/stable_token (isolated from it, idempotent unless force_refresh), and the check every app-token API
 * makes on its access_token parameter.
 */
final class AppTokens {

    private static final class AppToken {
        final String token;
        final String appid;
        final Instant expiresAt;
        /** Set when superseded/invalidated: after this instant the token answers 40001. */
        Instant invalidAfter;

        AppToken(String token, String appid, Instant expiresAt) {
            this.token = token;
            this.appid = appid;
            this.expiresAt = expiresAt;
        }
    }

    private final EngineContext ctx;
    private final Map<String, AppToken> tokens = new HashMap<>();
    private final Map<String, AppToken> currentClassic = new HashMap<>();
    private final Map<String, AppToken> currentStable = new HashMap<>();
    private final Map<String, List<Instant>> stableForces = new HashMap<>();

    AppTokens(EngineContext ctx) {
        this.ctx = ctx;
    }

    void clear() {
        tokens.clear();
        currentClassic.clear();
        currentStable.clear();
        stableForces.clear();
    }

    /** GET /cgi-bin/token: each call supersedes the previous token, which stays valid for the overlap. */
    Map<String, Object> classic(Map<String, String> p, String remoteIp) {
        checkCredentials(Params.param(p, "grant_type"), Params.param(p, "appid"), Params.param(p, "secret"), remoteIp);
        String appid = p.get("appid");
        AppToken previous = currentClassic.get(appid);
        Instant now = ctx.now();
        if (previous != null) {
            Instant cut = now.plusSeconds(ctx.settings().appTokenOverlapSeconds);
            if (previous.invalidAfter == null || cut.isBefore(previous.invalidAfter)) previous.invalidAfter = cut;
        }
        AppToken t = mint(appid);
        currentClassic.put(appid, t);
        return reply(t);
    }

    /** POST /cgi-bin/stable_token: isolated from cgi-bin/token; idempotent unless force_refresh. */
    Map<String, Object> stable(Map<String, Object> body, String remoteIp) {
        Settings settings = ctx.settings();
        String appid = body.get("appid") instanceof String s ? s : null;
        String secret = body.get("secret") instanceof String s ? s : null;
        String grant = body.get("grant_type") instanceof String s ? s : null;
        checkCredentials(grant, appid, secret, remoteIp);
        Object f = body.get("force_refresh");
        boolean force = Boolean.TRUE.equals(f) || "true".equals(f);
        Instant now = ctx.now();
        AppToken current = currentStable.get(appid);
        boolean currentValid = current != null && state(current, now) == 0;
        if (force) {
            List<Instant> forces = stableForces.computeIfAbsent(appid, k -> new ArrayList<>());
            Instant dayStart = now.truncatedTo(ChronoUnit.DAYS);
            forces.removeIf(i -> i.isBefore(dayStart));
            if (forces.size() >= settings.stableTokenForceRefreshPerDay) throw new WxException(45009);
            Instant last = forces.isEmpty() ? null : forces.get(forces.size() - 1);
            if (currentValid && last != null && now.isBefore(last.plusSeconds(settings.stableTokenForceRefreshMinIntervalSeconds))) {
                return reply(current); // too soon: nothing is refreshed
            }
            forces.add(now);
            if (current != null) current.invalidAfter = now;
            AppToken t = mint(appid);
            currentStable.put(appid, t);
            return reply(t);
        }
        if (currentValid && current.expiresAt.minusSeconds(settings.appTokenOverlapSeconds).isAfter(now)) {
            return reply(current);
        }
        // within the last overlap seconds (or none/expired): roll; the old token lives out its own expiry
        AppToken t = mint(appid);
        currentStable.put(appid, t);
        return reply(t);
    }

    /** The app a valid app access token belongs to; 41001 missing, 40001 unknown/superseded, 42001 expired. */
    String requireAppid(String token) {
        if (token == null || token.isEmpty()) throw new WxException(41001);
        AppToken t = tokens.get(token);
        if (t == null) throw new WxException(40001);
        int state = state(t, ctx.now());
        if (state != 0) throw new WxException(state);
        return t.appid;
    }

    /** The app a token belongs to, valid or not, or null. */
    String appidOf(String token) {
        AppToken a = tokens.get(token);
        return a == null ? null : a.appid;
    }

    private App checkCredentials(String grantType, String appid, String secret, String remoteIp) {
        if (!"client_credential".equals(grantType)) throw new WxException(40002);
        if (appid == null || appid.isEmpty()) throw new WxException(41002);
        if (secret == null || secret.isEmpty()) throw new WxException(41004);
        App app = ctx.directory.appOr40013(appid);
        if (app.secretFrozen()) throw new WxException(40243);
        if (!app.secret().equals(secret)) throw new WxException(ctx.settings().tokenInvalidSecretErrcode);
        if (app.kind() == AppKind.OFFICIAL_ACCOUNT && !app.ipWhitelist().isEmpty() && remoteIp != null
                && !app.ipWhitelist().contains(remoteIp)) {
            throw new WxException(40164, "invalid ip " + remoteIp + " ipv6 ::ffff:" + remoteIp + ", not in whitelist");
        }
        return app;
    }

    private AppToken mint(String appid) {
        AppToken t = new AppToken(ctx.random.token(136), appid, ctx.now().plusSeconds(ctx.settings().appAccessTokenSeconds));
        tokens.put(t.token, t);
        return t;
    }

    private Map<String, Object> reply(AppToken t) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("access_token", t.token);
        r.put("expires_in", Math.max(0, t.expiresAt.getEpochSecond() - ctx.now().getEpochSecond()));
        return r;
    }

    /** 0 valid, 42001 expired, 40001 superseded/invalidated. */
    private static int state(AppToken t, Instant now) {
        if (t.invalidAfter != null && !now.isBefore(t.invalidAfter)) return 40001;
        if (expired(t.expiresAt, now)) return 42001;
        return 0;
    }
}
