package dev.tongxing.wechat.emulator.quota;

/**
 * One per-app quota, as WeChat grants it: calls of one API (or API group) per second, per minute, per day and in
 * total, as written in the YAML file ({@code quotas:}) or POSTed to {@code /_emulator/quotas}. Each app the rule
 * applies to has its own counters. Calls over a limit are refused with WeChat's errcode and not counted.
 */
public class QuotaRule {
    /** Assigned by the emulator when empty. */
    public String id;
    /** The app whose calls are counted; null or "*" = every app, each with its own counters. */
    public String appid;
    /** An API group of {@link QuotaApis} (code-exchange, userinfo, stable-token, phone-number, …), an exact path, or "*". */
    public String api;
    /** Limits; null = unlimited. Windows are fixed: the clock's second, minute, and day in {@link #dayZone}. */
    public Integer perSecond;
    public Integer perMinute;
    public Integer perDay;
    /** Calls ever (until the usage is cleared), e.g. the phone-number component's paid trial quota of 1,000. */
    public Integer total;
    /** Where WeChat's day starts: China time by default. */
    public String dayZone = "+08:00";
    /** Answer for the per-second and per-minute limits (default 45011, API minute-quota / frequency limit). */
    public Integer rateErrcode;
    /** Answer for the per-day and total limits (default 45009, daily quota reached). */
    public Integer quotaErrcode;

    public static QuotaRule of(String appid, String api) {
        QuotaRule r = new QuotaRule();
        r.appid = appid;
        r.api = api;
        return r;
    }

    public QuotaRule perSecond(int n) {
        this.perSecond = n;
        return this;
    }

    public QuotaRule perMinute(int n) {
        this.perMinute = n;
        return this;
    }

    public QuotaRule perDay(int n) {
        this.perDay = n;
        return this;
    }

    public QuotaRule total(int n) {
        this.total = n;
        return this;
    }

    public QuotaRule withId(String id) {
        this.id = id;
        return this;
    }
}
