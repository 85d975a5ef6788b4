package dev.tongxing.wechat.emulator;

import dev.tongxing.wechat.emulator.config.ConfigLoader;
import dev.tongxing.wechat.emulator.config.EmulatorConfig;

import java.nio.file.Path;
import java.time.Clock;

/** How to start an emulator: port (0 = a free one), configuration (file, object or the default fixture), seed, clock. */
public final class WechatEmulatorOptions {
    private int port = 0;
    private String bindAddress = "127.0.0.1";
    private Path configFile;
    private EmulatorConfig config;
    private Long seed;
    private Clock clock = Clock.systemUTC();

    public static WechatEmulatorOptions defaults() {
        return new WechatEmulatorOptions();
    }

    /** TCP port; 0 picks a free port (read it back with {@link WechatEmulator#port()}). */
    public WechatEmulatorOptions port(int port) {
        this.port = port;
        return this;
    }

    /** Address to listen on; default 127.0.0.1 (use 0.0.0.0 to expose it). */
    public WechatEmulatorOptions bindAddress(String address) {
        this.bindAddress = address;
        return this;
    }

    /** YAML configuration file (see README); ignored when {@link #config(EmulatorConfig)} is set. */
    public WechatEmulatorOptions configFile(Path file) {
        this.configFile = file;
        return this;
    }

    /** Configuration object, e.g. {@code DefaultFixture.config()} modified in code. */
    public WechatEmulatorOptions config(EmulatorConfig config) {
        this.config = config;
        return this;
    }

    /** Overrides the configuration's seed (random codes, tokens, rid suffixes and fault draws). */
    public WechatEmulatorOptions seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Base clock; the emulator adds its own adjustable offset on top. */
    public WechatEmulatorOptions clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    public int port() {
        return port;
    }

    public String bindAddress() {
        return bindAddress;
    }

    public Clock clock() {
        return clock;
    }

    /** The effective configuration. */
    public EmulatorConfig resolveConfig() {
        EmulatorConfig c = config != null ? config : configFile != null ? ConfigLoader.load(configFile) : DefaultFixture.config();
        c = dev.tongxing.wechat.emulator.config.ConfigCopy.copy(c);
        if (seed != null) c.seed = seed;
        return c;
    }
}
