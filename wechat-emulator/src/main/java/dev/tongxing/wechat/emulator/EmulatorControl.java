package dev.tongxing.wechat.emulator;

import dev.tongxing.wechat.emulator.config.EmulatorConfig;
import dev.tongxing.wechat.emulator.core.EmulatorClock;
import dev.tongxing.wechat.emulator.core.EmulatorEngine;
import dev.tongxing.wechat.emulator.core.EventPush;
import dev.tongxing.wechat.emulator.core.EventPusher;
import dev.tongxing.wechat.emulator.core.MessageEndpoint;
import dev.tongxing.wechat.emulator.core.RequestLog;
import dev.tongxing.wechat.emulator.fault.FaultEngine;
import dev.tongxing.wechat.emulator.fault.FaultRule;
import dev.tongxing.wechat.emulator.quota.QuotaApis;
import dev.tongxing.wechat.emulator.quota.QuotaEngine;
import dev.tongxing.wechat.emulator.quota.QuotaRule;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * Programmatic control of a running emulator — the same operations as the HTTP control API under
 * {@code /_emulator}: mint codes for the client-side flows, set faults and quotas, read the request log, move the clock.
 */
public final class EmulatorControl {
    private final EmulatorConfig initial;
    private final EmulatorClock clock;
    private final EmulatorEngine engine;
    private final FaultEngine faults;
    private final QuotaEngine quotas;
    private final EventPusher pusher;
    private final RequestLog log;

    EmulatorControl(EmulatorConfig config, EmulatorClock clock) {
        this.initial = copy(config);
        this.clock = clock;
        this.engine = new EmulatorEngine(clock, copy(config));
        this.faults = new FaultEngine(clock, config.seed);
        this.log = new RequestLog(engine.settings().requestLogLimit);
        for (FaultRule r : copy(config).faults) faults.add(r);
        this.pusher = new EventPusher(engine::settings);
        this.quotas = new QuotaEngine(clock);
        for (QuotaRule r : copy(config).quotas) quotas.add(r);
    }

    private static EmulatorConfig copy(EmulatorConfig c) {
        return dev.tongxing.wechat.emulator.config.ConfigCopy.copy(c);
    }

    public EmulatorEngine engine() {
        return engine;
    }

    public FaultEngine faultEngine() {
        return faults;
    }

    public QuotaEngine quotaEngine() {
        return quotas;
    }

    public RequestLog requestLog() {
        return log;
    }

    /** Live behaviour switches; changes apply to the next request. */
    public EmulatorConfig.Settings settings() {
        return engine.settings();
    }

    // --- client-side flows -----------------------------------------------------------------

    /** Code for a website/official-account/mobile app as if the user had confirmed (scope null = the app kind's default). */
    public String authorizationCode(String appid, String userId, String scope) {
        return engine.authorizationCode(appid, userId, scope, false);
    }

    /** Official-account code for a snapshot-page user (virtual ids, is_snapshotuser=1). */
    public String snapshotAuthorizationCode(String appid, String userId) {
        return engine.authorizationCode(appid, userId, EmulatorEngine.SCOPE_USERINFO, true);
    }

    /** Plays the WeChat Open SDK: the code of a successful SendAuth for (mobile app, user). */
    public String mobileCode(String appid, String userId) {
        return engine.mobileCode(appid, userId);
    }

    /** Plays wx.login() in a mini program. */
    public String miniProgramLoginCode(String appid, String userId) {
        return engine.miniProgramLoginCode(appid, userId);
    }

    /**
     * Plays the getPhoneNumber button; throws EmulatorEngine.ClientError (errno 1400001) when the app's
     * {@code phoneQuota} or a {@code phone-code} quota rule is used up.
     */
    public synchronized String phoneNumberCode(String appid, String userId) {
        QuotaEngine.Refusal refused = quotas.check(QuotaApis.PHONE_CODE, appid);
        if (refused != null) {
            throw new EmulatorEngine.ClientError(1400001,
                    "getPhoneNumber:fail no permission (quota exhausted, errno 1400001; " + refused.label() + ")");
        }
        String code = engine.phoneNumberCode(appid, userId);
        quotas.record(QuotaApis.PHONE_CODE, appid);
        return code;
    }

    public String openid(String appid, String userId) {
        return engine.openid(appid, userId);
    }

    /** null when the app is bound to no open-platform account. */
    public String unionid(String appid, String userId) {
        return engine.unionid(appid, userId);
    }

    public void changePassword(String userId) {
        engine.changePassword(userId);
    }

    public void addApp(EmulatorConfig.AppConfig app) {
        engine.addApp(app);
    }

    public void addUser(EmulatorConfig.UserConfig user) {
        engine.addUser(user);
    }

    // --- official account: QR codes, followers, event pushes ----------------------------------

    /**
     * The user scans an official account's QR code (its ticket, or the id of its /q/ URL): a follower makes WeChat
     * push SCAN, a non-follower who follows ({@code follow}) subscribe with EventKey qrscene_SCENE. The push is sent
     * now, with WeChat's retries, on this thread. Null when nothing is pushed (a non-follower who does not follow).
     * Throws EmulatorEngine.ClientError when the code has expired, IllegalArgumentException when it is unknown.
     */
    public EventPusher.Delivery scanQrCode(String ticket, String userId, boolean follow) {
        EventPush push = engine.scanQrCode(ticket, userId, follow);
        return push == null ? null : pusher.deliver(push);
    }

    /** The user unfollows the account: WeChat pushes unsubscribe. Null when they did not follow. */
    public EventPusher.Delivery unfollow(String appid, String userId) {
        EventPush push = engine.unfollow(appid, userId);
        return push == null ? null : pusher.deliver(push);
    }

    public boolean follows(String appid, String userId) {
        return engine.follows(appid, userId);
    }

    /** Sets an official account's server configuration (mode plain | compatible | safe); null removes it. */
    public void setMessageEndpoint(String appid, MessageEndpoint endpoint) {
        engine.setMessageEndpoint(appid, endpoint);
    }

    public MessageEndpoint messageEndpoint(String appid) {
        return engine.messageEndpoint(appid);
    }

    /** WeChat's check when the server configuration is saved: a signed GET whose answer must be the echostr. */
    public EventPusher.UrlVerification verifyMessageEndpoint(String appid) {
        return pusher.verify(engine.messageEndpoint(appid), engine.urlVerification(appid));
    }

    /** Every event pushed (or tried), oldest first, with each try's answer. */
    public List<EventPusher.Delivery> pushes() {
        return pusher.deliveries();
    }

    public void clearPushes() {
        pusher.clear();
    }

    // --- faults ------------------------------------------------------------------------------

    public String addFault(FaultRule rule) {
        return faults.add(rule);
    }

    public boolean removeFault(String id) {
        return faults.remove(id);
    }

    public void clearFaults() {
        faults.clear();
    }

    public List<FaultRule> faults() {
        return faults.rules();
    }

    /** Re-seeds every random stream (codes, tokens, rid, faults) so a run can be repeated from here. */
    public void reseed(long seed) {
        engine.reseed(seed);
        faults.reseed(seed);
    }

    // --- quotas ------------------------------------------------------------------------------

    public String addQuota(QuotaRule rule) {
        return quotas.add(rule);
    }

    public boolean removeQuota(String id) {
        return quotas.remove(id);
    }

    public void clearQuotas() {
        quotas.clear();
    }

    public List<QuotaRule> quotas() {
        return quotas.rules();
    }

    /** Calls counted per rule and app in the current second, minute, day and in total. */
    public List<QuotaEngine.Usage> quotaUsage() {
        return quotas.usage();
    }

    /** Forgets the calls counted for one app (null = every app), as an admin's "clear quota" does. */
    public void clearQuotaUsage(String appid) {
        quotas.clearUsage(appid);
    }

    // --- request log -------------------------------------------------------------------------

    public List<RequestLog.Entry> requests() {
        return log.entries();
    }

    public List<RequestLog.Entry> requests(String path) {
        return log.find(e -> e.path().equals(path));
    }

    public List<RequestLog.Entry> requests(Predicate<RequestLog.Entry> filter) {
        return log.find(filter);
    }

    public void clearRequests() {
        log.clear();
    }

    // --- clock -------------------------------------------------------------------------------

    public Instant now() {
        return clock.instant();
    }

    public Instant advanceClock(Duration d) {
        return clock.advance(d);
    }

    public Instant setClock(Instant instant) {
        return clock.set(instant);
    }

    /** Back to the configuration the emulator started with: state, faults, log and clock offset reset. */
    public synchronized void reset() {
        EmulatorConfig c = copy(initial);
        clock.resetOffset();
        engine.load(c);
        faults.clear();
        faults.reseed(c.seed);
        for (FaultRule r : c.faults) faults.add(r);
        quotas.clear();
        for (QuotaRule r : c.quotas) quotas.add(r);
        pusher.clear();
        log.clear();
        log.setLimit(engine.settings().requestLogLimit);
    }
}
