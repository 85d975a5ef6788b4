package dev.tongxing.wechat.emulator;

import dev.tongxing.wechat.emulator.core.EmulatorClock;
import dev.tongxing.wechat.emulator.fault.FaultEngine;
import dev.tongxing.wechat.emulator.fault.FaultRule;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static dev.tongxing.wechat.emulator.DefaultFixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Fault injection: each fault happens at the configured rate, and the same seed gives the same sequence. */
class FaultInjectionTest extends EmulatorTestBase {
    private static final int CALLS = 2000;

    private Http.Res invalidCodeCall(String appid, String secret) {
        return http.get("/sns/oauth2/access_token", Map.of("appid", appid, "secret", secret, "code", "none", "grant_type", "authorization_code"));
    }

    /** Sequence of errcodes seen over HTTP; without the fault the call answers 40029. */
    private List<Integer> errcodeSequence(int n) {
        List<Integer> seq = new ArrayList<>();
        for (int i = 0; i < n; i++) seq.add(invalidCodeCall(WEBSITE_APPID, WEBSITE_SECRET).errcode());
        return seq;
    }

    @Test
    void errcodeRateIsMetOverHttpAndRepeatsWithTheSameSeed() {
        control().addFault(FaultRule.errcode("/sns/oauth2/access_token", -1, 0.10));
        List<Integer> first = errcodeSequence(CALLS);
        long busy = first.stream().filter(e -> e == -1).count();
        assertThat(busy).isBetween(150L, 250L); // 10 % of 2000 = 200, ±3.7 σ
        assertThat(first).containsOnly(-1, 40029);

        control().reset();
        control().addFault(FaultRule.errcode("/sns/oauth2/access_token", -1, 0.10));
        assertThat(errcodeSequence(CALLS)).isEqualTo(first);

        control().reset();
        control().reseed(12345);
        control().addFault(FaultRule.errcode("/sns/oauth2/access_token", -1, 0.10));
        assertThat(errcodeSequence(CALLS)).isNotEqualTo(first);
    }

    @Test
    void faultsAreScopedPerEndpointAndPerApp() {
        control().addFault(FaultRule.errcode("/sns/oauth2/access_token", 45011, 1.0).forApp(OTHER_WEBSITE_APPID));
        control().addFault(FaultRule.errcode("/sns/userinfo", -1, 1.0));
        assertThat(invalidCodeCall(WEBSITE_APPID, WEBSITE_SECRET).errcode()).isEqualTo(40029);
        assertThat(invalidCodeCall(OTHER_WEBSITE_APPID, OTHER_WEBSITE_SECRET).errcode()).isEqualTo(45011);
        // the per-app match also works where the appid comes from the access token
        control().addFault(FaultRule.errcode("/wxa/*", 40001, 1.0).forApp(UNBOUND_MINI_PROGRAM_APPID));
        String token = (String) http.get("/cgi-bin/token", Map.of("grant_type", "client_credential", "appid", UNBOUND_MINI_PROGRAM_APPID,
                "secret", UNBOUND_MINI_PROGRAM_SECRET)).json().get("access_token");
        assertThat(http.postJson("/wxa/business/getuserphonenumber?access_token=" + token,
                Map.of("code", control().phoneNumberCode(UNBOUND_MINI_PROGRAM_APPID, ALICE))).errcode()).isEqualTo(40001);
    }

    @Test
    void errcodeBeforeLeavesTheCodeUsableErrcodeAfterBurnsIt() {
        String rule = control().addFault(FaultRule.errcode("/sns/oauth2/access_token", -1, 1.0));
        String code = control().authorizationCode(WEBSITE_APPID, ALICE, null);
        assertThat(exchange(WEBSITE_APPID, WEBSITE_SECRET, code).errcode()).isEqualTo(-1);
        control().removeFault(rule);
        assertThat(exchange(WEBSITE_APPID, WEBSITE_SECRET, code).errcode()).isNull();

        // "code burnt by a failed call": first 40029, immediate retry 40163
        String burn = control().addFault(FaultRule.errcode("/sns/oauth2/access_token", 40029, 1.0).withPhase("after"));
        String code2 = control().authorizationCode(WEBSITE_APPID, ALICE, null);
        assertThat(exchange(WEBSITE_APPID, WEBSITE_SECRET, code2).errcode()).isEqualTo(40029);
        control().removeFault(burn);
        assertThat(exchange(WEBSITE_APPID, WEBSITE_SECRET, code2).errcode()).isEqualTo(40163);
    }

    @Test
    void rateLimitsAnswer45011PerMinuteAnd45009PerDay() {
        control().setClock(Instant.parse("2030-01-01T00:00:00Z"));
        control().addFault(FaultRule.rateLimit("/sns/oauth2/access_token", 5, 60, 45011));
        control().addFault(FaultRule.rateLimit("/cgi-bin/token", 3, 86_400, 45009));
        List<Integer> minute = errcodeSequence(7);
        assertThat(minute).containsExactly(40029, 40029, 40029, 40029, 40029, 45011, 45011);
        assertThat(invalidCodeCall(OTHER_WEBSITE_APPID, OTHER_WEBSITE_SECRET).errcode()).as("counted per app").isEqualTo(40029);
        advance(60);
        assertThat(invalidCodeCall(WEBSITE_APPID, WEBSITE_SECRET).errcode()).isEqualTo(40029);

        Map<String, String> tokenParams = Map.of("grant_type", "client_credential", "appid", MINI_PROGRAM_APPID, "secret", MINI_PROGRAM_SECRET);
        for (int i = 0; i < 3; i++) assertThat(http.get("/cgi-bin/token", tokenParams).errcode()).isNull();
        assertThat(http.get("/cgi-bin/token", tokenParams).errcode()).isEqualTo(45009);
        advance(86_400);
        assertThat(http.get("/cgi-bin/token", tokenParams).errcode()).isNull();
    }

    @Test
    void outageWindowsFollowTheEmulatorClock() {
        control().setClock(Instant.parse("2030-01-01T00:00:00Z"));
        control().addFault(FaultRule.outage("*", "2030-01-01T00:10:00Z", "2030-01-01T00:20:00Z"));
        FaultRule rel = new FaultRule();
        rel.type = "outage";
        rel.endpoint = "/sns/userinfo";
        rel.outageMode = "http-503";
        rel.startInSeconds = 0L;
        rel.durationSeconds = 30L;
        control().addFault(rel);
        assertThat(invalidCodeCall(WEBSITE_APPID, WEBSITE_SECRET).errcode()).isEqualTo(40029);
        assertThat(http.get("/sns/userinfo?access_token=x&openid=y").status()).isEqualTo(503);
        advance(600);
        assertThat(invalidCodeCall(WEBSITE_APPID, WEBSITE_SECRET).errcode()).isEqualTo(-1);
        assertThat(http.get("/sns/userinfo?access_token=x&openid=y").errcode()).isEqualTo(-1);
        advance(600);
        assertThat(invalidCodeCall(WEBSITE_APPID, WEBSITE_SECRET).errcode()).isEqualTo(40029);
        assertThat(http.get("/sns/userinfo?access_token=x&openid=y").errcode()).isEqualTo(40001);
    }

    @Test
    void malformedBodiesAtTheConfiguredRate() {
        String id = control().addFault(FaultRule.malformed("/sns/oauth2/access_token", "truncated", 0.25));
        int broken = 0;
        for (int i = 0; i < CALLS; i++) {
            Http.Res r = invalidCodeCall(WEBSITE_APPID, WEBSITE_SECRET);
            try {
                r.json();
            } catch (RuntimeException e) {
                broken++;
                assertThat(r.body()).startsWith("{\"errcode\":40029").doesNotEndWith("}");
            }
        }
        assertThat(broken).isBetween(440, 560); // 25 % of 2000 = 500
        control().removeFault(id);
        for (String kind : List.of("html", "empty", "garbage")) {
            String k = control().addFault(FaultRule.malformed("/sns/userinfo", kind, 1.0));
            Http.Res r = http.get("/sns/userinfo?access_token=x&openid=y");
            assertThat(r.status()).isEqualTo(200);
            assertThatThrownBy(r::json).as(kind).isInstanceOf(RuntimeException.class);
            control().removeFault(k);
        }
        // after-phase truncation: the code was consumed although the client could not read the reply
        control().addFault(FaultRule.malformed("/sns/oauth2/access_token", "truncated", 1.0));
        String code = control().authorizationCode(WEBSITE_APPID, ALICE, null);
        assertThat(exchange(WEBSITE_APPID, WEBSITE_SECRET, code).body()).startsWith("{\"access_token\":\"");
        control().clearFaults();
        assertThat(exchange(WEBSITE_APPID, WEBSITE_SECRET, code).errcode()).isEqualTo(40163);
    }

    @Test
    void droppedConnectionsAtTheConfiguredRate() {
        control().addFault(FaultRule.drop("/sns/oauth2/access_token", 0.3));
        int dropped = 0;
        int n = 300;
        for (int i = 0; i < n; i++) {
            try {
                assertThat(invalidCodeCall(WEBSITE_APPID, WEBSITE_SECRET).errcode()).isEqualTo(40029);
            } catch (UncheckedIOException e) {
                dropped++;
            }
        }
        assertThat(dropped).isBetween(60, 120); // 30 % of 300 = 90, ±3.5 σ
        assertThat(control().requests("/sns/oauth2/access_token").stream().filter(e -> e.status() == 0).count()).isEqualTo(dropped);
    }

    @Test
    void fixedLatencyIsAddedOverHttp() {
        control().addFault(FaultRule.latencyFixed("/sns/auth", 150));
        long start = System.nanoTime();
        http.get("/sns/auth?access_token=x&openid=y");
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(150);
        long fast = System.nanoTime();
        http.get("/sns/userinfo?access_token=x&openid=y");
        assertThat((System.nanoTime() - fast) / 1_000_000).isLessThan(150);
    }

    @Test
    void latencyDistributionsHaveTheConfiguredShapeAndRepeat() {
        EmulatorClock clock = new EmulatorClock(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
        FaultRule uniform = latency("uniform", 1.0);
        uniform.minMs = 100;
        uniform.maxMs = 300;
        FaultRule normal = latency("normal", 1.0);
        normal.meanMs = 200;
        normal.stddevMs = 50;
        FaultRule exponential = latency("exponential", 1.0);
        exponential.meanMs = 80;
        FaultRule partial = latency("fixed", 0.2);
        partial.fixedMs = 1000;

        double[] u = samples(clock, uniform);
        assertThat(mean(u)).isCloseTo(200, within(5.0));
        assertThat(IntStream.range(0, CALLS).allMatch(i -> u[i] >= 100 && u[i] <= 300)).isTrue();
        double[] g = samples(clock, normal);
        assertThat(mean(g)).isCloseTo(200, within(5.0));
        assertThat(sd(g)).isCloseTo(50, within(5.0));
        double[] e = samples(clock, exponential);
        assertThat(mean(e)).isCloseTo(80, within(8.0));
        double[] p = samples(clock, partial);
        long hits = java.util.Arrays.stream(p).filter(v -> v == 1000).count();
        assertThat(hits).isBetween(340L, 460L); // 20 % of 2000
        assertThat(samples(clock, normal)).isEqualTo(g); // same seed, same sequence
    }

    private static FaultRule latency(String distribution, double rate) {
        FaultRule r = new FaultRule();
        r.type = "latency";
        r.endpoint = "*";
        r.distribution = distribution;
        r.rate = rate;
        r.id = "lat";
        return r;
    }

    private static double[] samples(Clock clock, FaultRule rule) {
        FaultEngine engine = new FaultEngine(clock, 42);
        engine.add(rule);
        double[] out = new double[CALLS];
        for (int i = 0; i < CALLS; i++) out[i] = engine.decide("/sns/auth", WEBSITE_APPID).latencyMs();
        return out;
    }

    private static double mean(double[] v) {
        return java.util.Arrays.stream(v).average().orElseThrow();
    }

    private static double sd(double[] v) {
        double m = mean(v);
        return Math.sqrt(java.util.Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / v.length);
    }

    @Test
    void invalidRulesAreRefused() {
        assertThatThrownBy(() -> control().addFault(new FaultRule())).isInstanceOf(IllegalArgumentException.class);
        FaultRule bad = FaultRule.errcode("*", -1, 1.5);
        assertThatThrownBy(() -> control().addFault(bad)).hasMessageContaining("rate");
    }
}
