package dev.tongxing.wechat.emulator.fault;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Holds the fault rules and decides, deterministically for a given seed, what happens to a request. */
public final class FaultEngine {

    public enum ActionKind { ERRCODE, HTTP_503, DROP, MALFORMED }

    /** What to do instead of (phase before) or to (phase after) the normal reply. */
    public record Action(ActionKind kind, int errcode, String errmsg, String malformed, String ruleId) {}

    /** Outcome for one request. */
    public record Decision(long latencyMs, Action before, Action after, List<String> ruleIds) {
        public static final Decision NONE = new Decision(0, null, null, List.of());

        public boolean isNone() {
            return latencyMs == 0 && before == null && after == null;
        }
    }

    private final Clock clock;
    private long seed;
    private final Map<String, Active> rules = new LinkedHashMap<>();
    private int nextId = 1;

    private static final class Active {
        final FaultRule rule;
        final List<Instant[]> windows = new ArrayList<>();
        SplittableRandom random;
        final Map<String, long[]> counters = new HashMap<>(); // key -> {windowIndex, count}

        Active(FaultRule rule) {
            this.rule = rule;
        }
    }

    public FaultEngine(Clock clock, long seed) {
        this.clock = clock;
        this.seed = seed;
    }

    public synchronized String add(FaultRule rule) {
        validate(rule);
        if (rule.id == null || rule.id.isBlank()) {
            do {
                rule.id = "fault-" + nextId++;
            } while (rules.containsKey(rule.id));
        }
        Active a = new Active(rule);
        if ("outage".equals(rule.type)) {
            for (FaultRule.Window w : rule.windows) {
                a.windows.add(new Instant[] {Instant.parse(w.start), Instant.parse(w.end)});
            }
            if (rule.durationSeconds != null) {
                Instant start = clock.instant().plusSeconds(rule.startInSeconds == null ? 0 : rule.startInSeconds);
                Instant end = start.plusSeconds(rule.durationSeconds);
                a.windows.add(new Instant[] {start, end});
                rule.windows.add(new FaultRule.Window(start.toString(), end.toString()));
                rule.startInSeconds = null;
                rule.durationSeconds = null;
            }
        }
        a.random = new SplittableRandom(ruleSeed(rule.id));
        rules.put(rule.id, a);
        return rule.id;
    }

    private static void validate(FaultRule r) {
        if (r.type == null) {
            throw new IllegalArgumentException("fault rule needs a type: errcode | latency | outage | rate-limit | malformed | drop");
        }
        switch (r.type) {
            case "errcode" -> {
                if (r.errcode == null) throw new IllegalArgumentException("errcode rule needs 'errcode'");
            }
            case "latency" -> {
                if (!List.of("fixed", "uniform", "normal", "exponential").contains(r.distribution)) {
                    throw new IllegalArgumentException("latency distribution must be fixed | uniform | normal | exponential");
                }
            }
            case "outage" -> {
                if (r.windows.isEmpty() && r.durationSeconds == null) {
                    throw new IllegalArgumentException("outage rule needs 'windows' or 'durationSeconds'");
                }
                if (!List.of("errcode", "http-503", "drop").contains(r.outageMode)) {
                    throw new IllegalArgumentException("outageMode must be errcode | http-503 | drop");
                }
            }
            case "rate-limit" -> {
                if (r.limit < 0 || r.windowSeconds <= 0) throw new IllegalArgumentException("rate-limit needs limit >= 0 and windowSeconds > 0");
            }
            case "malformed" -> {
                if (!List.of("truncated", "html", "empty", "garbage").contains(r.malformed)) {
                    throw new IllegalArgumentException("malformed must be truncated | html | empty | garbage");
                }
            }
            case "drop" -> { }
            default -> throw new IllegalArgumentException("unknown fault type " + r.type);
        }
        if (r.rate < 0 || r.rate > 1) throw new IllegalArgumentException("rate must be within [0,1]");
        if (r.phase != null && !List.of("before", "after").contains(r.phase)) {
            throw new IllegalArgumentException("phase must be before | after");
        }
    }

    private long ruleSeed(String id) {
        long h = seed;
        for (char c : id.toCharArray()) {
            h = h * 1_000_003L + c;
        }
        return new SplittableRandom(h).nextLong();
    }

    public synchronized boolean remove(String id) {
        return rules.remove(id) != null;
    }

    /** Removes every rule; ids are numbered from fault-1 again, so a re-created setup draws the same streams. */
    public synchronized void clear() {
        rules.clear();
        nextId = 1;
    }

    public synchronized List<FaultRule> rules() {
        return rules.values().stream().map(a -> a.rule).toList();
    }

    /** Re-seed: every rule restarts its random stream and counters, as if freshly added. */
    public synchronized void reseed(long newSeed) {
        this.seed = newSeed;
        for (Active a : rules.values()) {
            a.random = new SplittableRandom(ruleSeed(a.rule.id));
            a.counters.clear();
        }
    }

    public synchronized long seed() {
        return seed;
    }

    static boolean matches(FaultRule r, String path, String appid) {
        if (r.appid != null && !r.appid.equals(appid)) return false;
        String e = r.endpoint == null ? "*" : r.endpoint;
        if (e.equals("*")) return true;
        if (e.endsWith("*")) return path.startsWith(e.substring(0, e.length() - 1));
        return e.equals(path);
    }

    /** Decides the faults for one request; draws from each matching rule's random stream exactly once. */
    public synchronized Decision decide(String path, String appid) {
        if (rules.isEmpty()) return Decision.NONE;
        Instant now = clock.instant();
        long latency = 0;
        Action before = null;
        Action after = null;
        List<String> hit = new ArrayList<>();
        for (Active a : rules.values()) {
            FaultRule r = a.rule;
            if (!matches(r, path, appid)) continue;
            switch (r.type) {
                case "outage" -> {
                    boolean down = a.windows.stream().anyMatch(w -> !now.isBefore(w[0]) && now.isBefore(w[1]));
                    if (down && before == null) {
                        before = switch (r.outageMode) {
                            case "http-503" -> new Action(ActionKind.HTTP_503, 0, null, null, r.id);
                            case "drop" -> new Action(ActionKind.DROP, 0, null, null, r.id);
                            default -> new Action(ActionKind.ERRCODE, r.errcode == null ? -1 : r.errcode, r.errmsg, null, r.id);
                        };
                        hit.add(r.id);
                    }
                }
                case "rate-limit" -> {
                    long window = now.getEpochSecond() / r.windowSeconds;
                    String key = "global".equals(r.per) ? "*" : String.valueOf(appid);
                    long[] c = a.counters.computeIfAbsent(key, k -> new long[] {window, 0});
                    if (c[0] != window) {
                        c[0] = window;
                        c[1] = 0;
                    }
                    c[1]++;
                    if (c[1] > r.limit && before == null) {
                        before = new Action(ActionKind.ERRCODE, r.errcode == null ? 45011 : r.errcode, r.errmsg, null, r.id);
                        hit.add(r.id);
                    }
                }
                case "latency" -> {
                    boolean fire = a.random.nextDouble() < r.rate;
                    long sample = sampleLatency(r, a.random);
                    if (fire) {
                        latency += sample;
                        hit.add(r.id);
                    }
                }
                default -> {
                    boolean fire = a.random.nextDouble() < r.rate;
                    if (!fire) continue;
                    Action act = switch (r.type) {
                        case "errcode" -> new Action(ActionKind.ERRCODE, r.errcode, r.errmsg, null, r.id);
                        case "malformed" -> new Action(ActionKind.MALFORMED, 0, null, r.malformed, r.id);
                        default -> new Action(ActionKind.DROP, 0, null, null, r.id);
                    };
                    String phase = r.phase != null ? r.phase : ("malformed".equals(r.type) ? "after" : "before");
                    if ("after".equals(phase)) {
                        if (after == null) {
                            after = act;
                            hit.add(r.id);
                        }
                    } else if (before == null) {
                        before = act;
                        hit.add(r.id);
                    }
                }
            }
        }
        if (latency == 0 && before == null && after == null) return Decision.NONE;
        return new Decision(latency, before, after, List.copyOf(hit));
    }

    /** Always consumes the same number of draws for a given distribution, so streams stay aligned. */
    static long sampleLatency(FaultRule r, SplittableRandom random) {
        double v = switch (r.distribution) {
            case "uniform" -> r.minMs + random.nextDouble() * Math.max(0, r.maxMs - r.minMs);
            case "normal" -> r.meanMs + r.stddevMs * gaussian(random);
            case "exponential" -> -r.meanMs * Math.log(1 - random.nextDouble());
            default -> r.fixedMs;
        };
        if (r.maxMs > 0 && !"fixed".equals(r.distribution)) v = Math.min(v, Math.max(r.maxMs, r.minMs));
        return Math.max(0, Math.round(v));
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller with exactly two draws
        double u1 = 1 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
