package dev.tongxing.wechat.emulator.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** What clients sent and what they got, newest last; bounded. */
public final class RequestLog {

    /**
     * One exchange. {@code params} are query/form parameters with {@code secret} masked as "***";
     * {@code body} is the request body (JSON secrets masked); {@code response} the body sent back;
     * {@code quota} the quota limit that refused the call ("quota-1:perDay"), or null.
     */
    public record Entry(long seq, String time, String method, String path, Map<String, List<String>> params,
                        String body, String appid, int status, String response, Integer errcode, List<String> faults,
                        long durationMs, String quota) {

        public String param(String name) {
            List<String> v = params.get(name);
            return v == null || v.isEmpty() ? null : v.get(0);
        }
    }

    private final Deque<Entry> entries = new ArrayDeque<>();
    private volatile int limit;
    private long seq;

    public RequestLog(int limit) {
        this.limit = limit;
    }

    public void setLimit(int limit) {
        this.limit = limit;
    }

    public synchronized long nextSeq() {
        return ++seq;
    }

    public synchronized void add(Entry e) {
        entries.addLast(e);
        while (entries.size() > Math.max(1, limit)) entries.removeFirst();
    }

    public synchronized List<Entry> entries() {
        return new ArrayList<>(entries);
    }

    public synchronized List<Entry> find(Predicate<Entry> p) {
        return entries.stream().filter(p).toList();
    }

    public synchronized void clear() {
        entries.clear();
    }
}
