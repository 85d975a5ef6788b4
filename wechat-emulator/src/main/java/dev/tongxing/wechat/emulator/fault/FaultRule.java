package dev.tongxing.wechat.emulator.fault;

import java.util.ArrayList;
import java.util.List;

/**
 * One fault-injection rule, as written in the YAML file or POSTed to {@code /_emulator/faults}.
 * A rule applies to requests whose path matches {@link #endpoint} and whose app matches {@link #appid}.
 * Every probabilistic rule draws from its own seeded random stream, once per matching request.
 */
public class FaultRule {
    /** Assigned by the emulator when empty. */
    public String id;
    /** Exact path ("/sns/oauth2/access_token"), a prefix ending in "*" ("/sns/*"), or "*" for every endpoint. */
    public String endpoint = "*";
    /** Only requests for this app (null = any app). */
    public String appid;
    /** errcode | latency | outage | rate-limit | malformed | drop */
    public String type;
    /** Probability in [0,1] that the fault hits a matching request (errcode, latency, malformed, drop). */
    public double rate = 1.0;
    /** errcode to answer (errcode rule; rate-limit default 45011; outage with mode errcode default -1). */
    public Integer errcode;
    /** errmsg text without the rid suffix (default: WeChat's text for the errcode). */
    public String errmsg;
    /**
     * "before": the request never reaches the emulated WeChat (nothing is consumed).
     * "after": WeChat processes the request (a code is consumed, a token minted) and then the reply is replaced.
     * Defaults: errcode and drop "before", malformed "after".
     */
    public String phase;

    // latency
    /** fixed | uniform | normal | exponential */
    public String distribution = "fixed";
    public long fixedMs;
    public long minMs;
    public long maxMs;
    public double meanMs;
    public double stddevMs;

    // outage
    public List<Window> windows = new ArrayList<>();
    /** Convenience for the control API: an outage window starting this many seconds from the emulator's now... */
    public Long startInSeconds;
    /** ...and lasting this long. */
    public Long durationSeconds;
    /** errcode (default -1 system error) | http-503 | drop */
    public String outageMode = "errcode";

    // rate-limit
    public int limit;
    public long windowSeconds = 60;
    /** Count per app ("app", default) or across all apps ("global"). */
    public String per = "app";

    // malformed
    /** truncated | html | empty | garbage */
    public String malformed = "truncated";

    public static class Window {
        /** ISO-8601 instant on the emulator's clock. */
        public String start;
        public String end;

        public Window() {}

        public Window(String start, String end) {
            this.start = start;
            this.end = end;
        }
    }

    public static FaultRule errcode(String endpoint, int errcode, double rate) {
        FaultRule r = new FaultRule();
        r.type = "errcode";
        r.endpoint = endpoint;
        r.errcode = errcode;
        r.rate = rate;
        return r;
    }

    public static FaultRule latencyFixed(String endpoint, long ms) {
        FaultRule r = new FaultRule();
        r.type = "latency";
        r.endpoint = endpoint;
        r.fixedMs = ms;
        return r;
    }

    public static FaultRule rateLimit(String endpoint, int limit, long windowSeconds, int errcode) {
        FaultRule r = new FaultRule();
        r.type = "rate-limit";
        r.endpoint = endpoint;
        r.limit = limit;
        r.windowSeconds = windowSeconds;
        r.errcode = errcode;
        return r;
    }

    public static FaultRule outage(String endpoint, String startIso, String endIso) {
        FaultRule r = new FaultRule();
        r.type = "outage";
        r.endpoint = endpoint;
        r.windows.add(new Window(startIso, endIso));
        return r;
    }

    public static FaultRule malformed(String endpoint, String kind, double rate) {
        FaultRule r = new FaultRule();
        r.type = "malformed";
        r.endpoint = endpoint;
        r.malformed = kind;
        r.rate = rate;
        return r;
    }

    public static FaultRule drop(String endpoint, double rate) {
        FaultRule r = new FaultRule();
        r.type = "drop";
        r.endpoint = endpoint;
        r.rate = rate;
        return r;
    }

    public FaultRule forApp(String appid) {
        this.appid = appid;
        return this;
    }

    public FaultRule withPhase(String phase) {
        this.phase = phase;
        return this;
    }

    public FaultRule withId(String id) {
        this.id = id;
        return this;
    }
}
