package dev.tongxing.wechat.emulator.core;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.tongxing.wechat.emulator.config.EmulatorConfig.Settings;

/**
 * Sends official-account events the way WeChat does: a POST of the same request up to
 * {@code messagePushAttempts} times (WeChat: three), each waiting {@code messagePushTimeoutMillis} (5 s) for an
 * answer, until the endpoint answers HTTP 200 with "success", an empty body or a reply message (in safe mode an
 * encrypted reply whose msg_signature checks). Runs on the caller's thread and outside the engine's lock, so the
 * endpoint may call the emulator back (cgi-bin/user/info) while it handles the event. Keeps a bounded log.
 */
public final class EventPusher {

    /** One try: HTTP status (0 = no answer), the answer's body, why it did not count as delivered, how long it took. */
    public record Attempt(int status, String body, String error, long durationMs) {}

    /** What happened to one event; {@code reply} is the reply message (decrypted in safe mode), if one came. */
    public record Delivery(String id, String appid, String event, String openid, String eventKey, long createTime,
                           String url, String mode, Map<String, String> query, String body, String plainXml,
                           List<Attempt> attempts, boolean delivered, String reply) {}

    /** The URL check WeChat makes when the server configuration is saved. */
    public record UrlVerification(boolean ok, int status, String body, String echostr, String error) {}

    private static final int LOG_LIMIT = 1000;
    private static final Pattern ELEMENT = Pattern.compile("<(Encrypt|MsgSignature|TimeStamp|Nonce)>\\s*(?:<!\\[CDATA\\[(.*?)]]>|([^<]*))\\s*</\\1>", Pattern.DOTALL);

    private final Supplier<Settings> settings;
    private final Deque<Delivery> log = new ArrayDeque<>();

    public EventPusher(Supplier<Settings> settings) {
        this.settings = settings;
    }

    public Delivery deliver(EventPush p) {
        MessageEndpoint e = p.endpoint();
        if (e == null) {
            return record(new Delivery(p.id(), p.appid(), p.event(), p.openid(), p.eventKey(), p.createTime(), null, null,
                    p.query(), p.body(), p.plainXml(), List.of(new Attempt(0, null, "no message endpoint configured", 0)), false, null));
        }
        Settings s = settings.get();
        Duration timeout = Duration.ofMillis(Math.max(1, s.messagePushTimeoutMillis));
        URI uri = URI.create(e.url() + (e.url().contains("?") ? "&" : "?") + query(p.query()));
        List<Attempt> attempts = new ArrayList<>();
        String reply = null;
        boolean delivered = false;
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        try (client) {
            for (int i = 0; i < Math.max(1, s.messagePushAttempts) && !delivered; i++) {
                long started = System.nanoTime();
                int status = 0;
                String body = null;
                String error;
                try {
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).timeout(timeout)
                            .header("Content-Type", "text/xml").header("User-Agent", "Mozilla/4.0")
                            .POST(HttpRequest.BodyPublishers.ofString(p.body(), StandardCharsets.UTF_8)).build(),
                            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                    status = r.statusCode();
                    body = r.body();
                    error = status == 200 ? null : "HTTP " + status;
                    if (error == null) {
                        Reply answer = judge(body, e, p.appid());
                        error = answer.error();
                        reply = answer.reply();
                    }
                } catch (HttpTimeoutException ex) {
                    error = "no answer within " + timeout.toMillis() + " ms";
                } catch (IOException ex) {
                    error = "connection failed: " + ex.getMessage();
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    error = "interrupted";
                }
                attempts.add(new Attempt(status, body, error, (System.nanoTime() - started) / 1_000_000));
                delivered = error == null;
            }
        }
        return record(new Delivery(p.id(), p.appid(), p.event(), p.openid(), p.eventKey(), p.createTime(), e.url(), e.mode(),
                p.query(), p.body(), p.plainXml(), List.copyOf(attempts), delivered, delivered ? reply : null));
    }

    /** GET url?signature&echostr&timestamp&nonce; the check passes when the body is exactly echostr. */
    public UrlVerification verify(MessageEndpoint e, Map<String, String> query) {
        Duration timeout = Duration.ofMillis(Math.max(1, settings.get().messagePushTimeoutMillis));
        URI uri = URI.create(e.url() + (e.url().contains("?") ? "&" : "?") + query(query));
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
            boolean ok = r.statusCode() == 200 && query.get("echostr").equals(r.body());
            return new UrlVerification(ok, r.statusCode(), r.body(), query.get("echostr"), ok ? null : "answer is not the echostr");
        } catch (IOException ex) {
            return new UrlVerification(false, 0, null, query.get("echostr"), "no answer: " + ex.getMessage());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return new UrlVerification(false, 0, null, query.get("echostr"), "interrupted");
        }
    }

    private record Reply(String error, String reply) {}

    private static Reply judge(String body, MessageEndpoint e, String appid) {
        String t = body == null ? "" : body.trim();
        if (t.isEmpty() || t.equals("success")) return new Reply(null, null);
        if (!t.startsWith("<xml")) return new Reply("answer is neither success, empty nor a reply message", null);
        if (!e.encrypted() || !t.contains("<Encrypt>")) return new Reply(null, t);
        Map<String, String> f = new java.util.HashMap<>();
        Matcher m = ELEMENT.matcher(t);
        while (m.find()) f.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3).trim());
        String encrypt = f.get("Encrypt");
        if (f.get("MsgSignature") == null || f.get("TimeStamp") == null || f.get("Nonce") == null) {
            return new Reply("encrypted reply lacks MsgSignature, TimeStamp or Nonce", null);
        }
        if (!MessageCrypto.msgSignature(e.token(), f.get("TimeStamp"), f.get("Nonce"), encrypt).equals(f.get("MsgSignature"))) {
            return new Reply("encrypted reply has a wrong MsgSignature", null);
        }
        try {
            return new Reply(null, MessageCrypto.decrypt(e.encodingAesKey(), appid, encrypt));
        } catch (IllegalArgumentException ex) {
            return new Reply("encrypted reply cannot be decrypted: " + ex.getMessage(), null);
        }
    }

    private static String query(Map<String, String> q) {
        return q.entrySet().stream()
                .map(x -> URLEncoder.encode(x.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(x.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private synchronized Delivery record(Delivery d) {
        log.addLast(d);
        while (log.size() > LOG_LIMIT) log.removeFirst();
        return d;
    }

    public synchronized List<Delivery> deliveries() {
        return new ArrayList<>(log);
    }

    public synchronized void clear() {
        log.clear();
    }
}
