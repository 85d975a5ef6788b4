package dev.tongxing.wechat.emulator.quota;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts each app's calls against its quota rules on the emulator's clock, in fixed windows (the second, the
 * minute, the day in the rule's zone, and in total), and refuses a call over any limit with WeChat's errcode.
 * A refused call is not counted, as WeChat does not bill it; a call refused by one rule counts against none.
 */
public final class QuotaEngine {

    /** Why a call was refused: the rule, which of its limits, and the errcode to answer. */
    public record Refusal(String ruleId, String limit, int errcode) {
        /** As shown in the request log, e.g. "quota-1:perDay". */
        public String label() {
            return ruleId + ":" + limit;
        }
    }

    /** One app's calls under one rule in the current windows. */
    public record Usage(String ruleId, String appid, String api, long second, long minute, long day, long total) {}

    private static final class Counters {
        long secondWindow = Long.MIN_VALUE;
        long second;
        long minuteWindow = Long.MIN_VALUE;
        long minute;
        long dayWindow = Long.MIN_VALUE;
        long day;
        long total;

        void roll(long s, long m, long d) {
            if (secondWindow != s) {
                secondWindow = s;
                second = 0;
            }
            if (minuteWindow != m) {
                minuteWindow = m;
                minute = 0;
            }
            if (dayWindow != d) {
                dayWindow = d;
                day = 0;
            }
        }
    }

    private final Clock clock;
    private final Map<String, QuotaRule> rules = new LinkedHashMap<>();
    /** ruleId → appid → counters */
    private final Map<String, Map<String, Counters>> counters = new LinkedHashMap<>();
    private int nextId = 1;

    public QuotaEngine(Clock clock) {
        this.clock = clock;
    }

    public synchronized String add(QuotaRule rule) {
        validate(rule);
        if (rule.id == null || rule.id.isBlank()) {
            do {
                rule.id = "quota-" + nextId++;
            } while (rules.containsKey(rule.id));
        }
        rules.put(rule.id, rule);
        counters.put(rule.id, new LinkedHashMap<>());
        return rule.id;
    }

    public synchronized boolean remove(String id) {
        counters.remove(id);
        return rules.remove(id) != null;
    }

    public synchronized void clear() {
        rules.clear();
        counters.clear();
        nextId = 1;
    }

    public synchronized List<QuotaRule> rules() {
        return List.copyOf(rules.values());
    }

    /** Forgets the calls counted so far for one app (null = every app), as an admin's "clear quota" does. */
    public synchronized void clearUsage(String appid) {
        for (Map<String, Counters> byApp : counters.values()) {
            if (appid == null) byApp.clear();
            else byApp.remove(appid);
        }
    }

    /** Counts a call of {@code path} by {@code appid}, or refuses it (then nothing is counted). */
    public synchronized Refusal acquire(String path, String appid) {
        Refusal refusal = check(path, appid);
        if (refusal == null) record(path, appid);
        return refusal;
    }

    /** The refusal a call would get now, without counting it. */
    public synchronized Refusal check(String path, String appid) {
        if (appid == null) return null;
        Instant now = clock.instant();
        for (QuotaRule r : matching(path, appid)) {
            Counters c = counters(r, appid, now);
            int quotaErr = r.quotaErrcode != null ? r.quotaErrcode : 45009;
            int rateErr = r.rateErrcode != null ? r.rateErrcode : 45011;
            if (r.total != null && c.total >= r.total) return new Refusal(r.id, "total", quotaErr);
            if (r.perDay != null && c.day >= r.perDay) return new Refusal(r.id, "perDay", quotaErr);
            if (r.perMinute != null && c.minute >= r.perMinute) return new Refusal(r.id, "perMinute", rateErr);
            if (r.perSecond != null && c.second >= r.perSecond) return new Refusal(r.id, "perSecond", rateErr);
        }
        return null;
    }

    /** Counts a call that was let through. */
    public synchronized void record(String path, String appid) {
        if (appid == null) return;
        Instant now = clock.instant();
        for (QuotaRule r : matching(path, appid)) {
            Counters c = counters(r, appid, now);
            c.second++;
            c.minute++;
            c.day++;
            c.total++;
        }
    }

    /** Every app's counts in the current windows, per rule. */
    public synchronized List<Usage> usage() {
        Instant now = clock.instant();
        List<Usage> out = new ArrayList<>();
        for (QuotaRule r : rules.values()) {
            for (String appid : List.copyOf(counters.get(r.id).keySet())) {
                Counters c = counters(r, appid, now);
                out.add(new Usage(r.id, appid, r.api, c.second, c.minute, c.day, c.total));
            }
        }
        return out;
    }

    private List<QuotaRule> matching(String path, String appid) {
        List<QuotaRule> out = new ArrayList<>();
        for (QuotaRule r : rules.values()) {
            boolean app = r.appid == null || "*".equals(r.appid) || r.appid.equals(appid);
            if (app && QuotaApis.matches(r.api, path)) out.add(r);
        }
        return out;
    }

    private Counters counters(QuotaRule r, String appid, Instant now) {
        Counters c = counters.get(r.id).computeIfAbsent(appid, k -> new Counters());
        long second = now.getEpochSecond();
        long day = LocalDate.ofInstant(now, ZoneId.of(r.dayZone)).toEpochDay();
        c.roll(second, Math.floorDiv(second, 60), day);
        return c;
    }

    private static void validate(QuotaRule r) {
        QuotaApis.validate(r.api);
        if (r.perSecond == null && r.perMinute == null && r.perDay == null && r.total == null) {
            throw new IllegalArgumentException("quota rule needs at least one of perSecond, perMinute, perDay, total");
        }
        for (Integer limit : new Integer[] {r.perSecond, r.perMinute, r.perDay, r.total}) {
            if (limit != null && limit < 0) throw new IllegalArgumentException("quota limits must be >= 0");
        }
        if (r.dayZone == null) r.dayZone = "+08:00";
        try {
            ZoneId.of(r.dayZone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("quota dayZone " + r.dayZone + " is not a zone id or offset");
        }
    }
}
