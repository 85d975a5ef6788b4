package dev.tongxing.wechat.emulator.web;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/** The emulator's own JSON mapper (independent of the host's Jackson configuration). */
public final class Json {
    private Json() {}

    public static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public static String write(Object o) {
        return MAPPER.writeValueAsString(o);
    }

    /** Parses a JSON object; throws IllegalArgumentException when the body is not one. */
    public static Map<String, Object> readObject(String body) {
        if (body == null || body.isBlank()) throw new IllegalArgumentException("empty body");
        try {
            Map<String, Object> m = MAPPER.readValue(body, new TypeReference<LinkedHashMap<String, Object>>() {});
            if (m == null) throw new IllegalArgumentException("body is not a JSON object");
            return m;
        } catch (tools.jackson.core.JacksonException e) {
            throw new IllegalArgumentException("body is not a JSON object: " + e.getOriginalMessage());
        }
    }

    public static <T> T read(String body, Class<T> type) {
        try {
            return MAPPER.readValue(body, type);
        } catch (tools.jackson.core.JacksonException e) {
            throw new IllegalArgumentException("bad JSON: " + e.getOriginalMessage());
        }
    }
}
