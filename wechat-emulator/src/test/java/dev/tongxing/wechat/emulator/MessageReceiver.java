package dev.tongxing.wechat.emulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A stand-in for a developer's message endpoint: records every request and answers as scripted. */
final class MessageReceiver implements AutoCloseable {

    record Received(String method, Map<String, String> query, String body) {}

    /** One scripted answer: wait this long, then answer status and body. */
    record Answer(long delayMs, int status, String body) {}

    private final HttpServer server;
    final List<Received> received = new CopyOnWriteArrayList<>();
    private final Deque<Answer> script = new ArrayDeque<>();
    private Answer fallback = new Answer(0, 200, "success");
    /** When set, the body to answer given the request (after any scripted delay). */
    volatile java.util.function.Function<Received, String> responder;

    MessageReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/wechat/events", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/wechat/events";
    }

    synchronized void script(Answer... answers) {
        script.addAll(List.of(answers));
    }

    synchronized void otherwise(Answer a) {
        fallback = a;
    }

    private synchronized Answer next() {
        return script.isEmpty() ? fallback : script.removeFirst();
    }

    private void handle(HttpExchange ex) throws IOException {
        Map<String, String> q = new LinkedHashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String kv : raw.split("&")) {
                int eq = kv.indexOf('=');
                q.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        Received r = new Received(ex.getRequestMethod(), q, new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        received.add(r);
        Answer a = next();
        try {
            if (a.delayMs() > 0) Thread.sleep(a.delayMs());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String body = responder != null ? responder.apply(r) : a.body();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try {
            ex.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } catch (IOException gone) {
            // the emulator gave up waiting: as WeChat does, it closed the connection
        } finally {
            ex.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
