package dev.tongxing.wechat.emulator;

import java.nio.file.Path;

/**
 * Standalone start: {@code java -jar wechat-emulator.jar [--server.port=9080] [--server.address=0.0.0.0]
 * [--wechat.emulator.config=emulator.yml] [--wechat.emulator.seed=42]}.
 */
public final class WechatEmulatorMain {
    private WechatEmulatorMain() {}

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "wechat-emulator/logback-standalone.xml");
        }
        WechatEmulatorOptions options = WechatEmulatorOptions.defaults().port(9080);
        for (String arg : args) {
            String a = arg.startsWith("--") ? arg.substring(2) : arg;
            int eq = a.indexOf('=');
            String key = eq < 0 ? a : a.substring(0, eq);
            String value = eq < 0 ? "" : a.substring(eq + 1);
            switch (key) {
                case "server.port", "port" -> options.port(Integer.parseInt(value));
                case "server.address", "address" -> options.bindAddress(value);
                case "wechat.emulator.config", "config" -> options.configFile(Path.of(value));
                case "wechat.emulator.seed", "seed" -> options.seed(Long.parseLong(value));
                case "help", "h" -> {
                    System.out.println("usage: java -jar wechat-emulator.jar [--server.port=9080] [--server.address=127.0.0.1]"
                            + " [--wechat.emulator.config=FILE.yml] [--wechat.emulator.seed=N]");
                    return;
                }
                default -> {
                    System.err.println("unknown option " + arg + " (try --help)");
                    System.exit(2);
                }
            }
        }
        WechatEmulator emu = WechatEmulator.start(options);
        Runtime.getRuntime().addShutdownHook(new Thread(emu::close, "wechat-emulator-shutdown"));
        System.out.println("WeChat emulator listening on " + emu.baseUrl()
                + " (open.weixin.qq.com + api.weixin.qq.com; control API at " + emu.baseUrl() + "/_emulator)");
    }
}
