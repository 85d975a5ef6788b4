package dev.tongxing.wechat.emulator.core;

import java.util.SplittableRandom;

/**
 * The one seeded random stream behind codes, tokens, session keys and rid suffixes. Every product draws from
 * the same stream, so a seed replays a whole run in the same order.
 */
final class RandomSource {
    static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    static final String TOKEN_CHARS = ALNUM + "_-";

    private SplittableRandom random;

    RandomSource(long seed) {
        reseed(seed);
    }

    void reseed(long seed) {
        this.random = new SplittableRandom(seed);
    }

    String string(String alphabet, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        return sb.toString();
    }

    String alnum(int n) {
        return string(ALNUM, n);
    }

    String token(int n) {
        return string(TOKEN_CHARS, n);
    }

    String hex(int n) {
        return string("0123456789abcdef", n);
    }

    void nextBytes(byte[] bytes) {
        random.nextBytes(bytes);
    }

    /** errmsg with WeChat's trace suffix in the given style (rid | hints | hint-rid | plain). */
    String decorate(String text, String style) {
        return switch (style == null ? "rid" : style) {
            case "plain" -> text;
            case "hints" -> text + ", hints: [ req_id: " + alnum(8) + " ]";
            case "hint-rid" -> text + " hint: [" + alnum(9) + "-" + alnum(6) + "] rid: " + rid();
            default -> text + ", rid: " + rid();
        };
    }

    private String rid() {
        return hex(8) + "-" + hex(8) + "-" + hex(8);
    }
}
