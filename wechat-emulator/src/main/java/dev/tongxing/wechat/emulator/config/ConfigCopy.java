package dev.tongxing.wechat.emulator.config;

/** Deep copy through JSON, so the emulator never shares mutable config objects with its caller. */
public final class ConfigCopy {
    private ConfigCopy() {}

    public static EmulatorConfig copy(EmulatorConfig c) {
        return ConfigLoader.MAPPER.convertValue(c, EmulatorConfig.class);
    }
}
