package dev.tongxing.wechat.emulator;

import dev.tongxing.wechat.emulator.core.EmulatorClock;
import dev.tongxing.wechat.emulator.web.EmulatorWebConfiguration;
import org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;

import java.util.HashMap;
import java.util.Map;

/**
 * An emulator running in this JVM, in its own Spring context (it never scans or reads the host application's
 * auto-configuration, beans or application.yml). Both "hosts" — open.weixin.qq.com and api.weixin.qq.com — are
 * served from {@link #baseUrl()}.
 *
 * <pre>{@code
 * try (WechatEmulator emu = WechatEmulator.start(WechatEmulatorOptions.defaults().seed(42))) {
 *     String code = emu.control().mobileCode(DefaultFixture.MOBILE_APPID, DefaultFixture.ALICE);
 *     // point the connector's two base URLs at emu.baseUrl()
 * }
 * }</pre>
 */
public final class WechatEmulator implements AutoCloseable {
    private final AnnotationConfigServletWebServerApplicationContext context;
    private final EmulatorControl control;
    private final String host;

    private WechatEmulator(AnnotationConfigServletWebServerApplicationContext context, EmulatorControl control, String host) {
        this.context = context;
        this.control = control;
        this.host = host;
    }

    /** Starts with the default fixture on a free port. */
    public static WechatEmulator start() {
        return start(WechatEmulatorOptions.defaults());
    }

    public static WechatEmulator start(WechatEmulatorOptions options) {
        EmulatorControl control = new EmulatorControl(options.resolveConfig(), new EmulatorClock(options.clock()));
        AnnotationConfigServletWebServerApplicationContext ctx = new AnnotationConfigServletWebServerApplicationContext();
        ctx.setDisplayName("wechat-emulator");
        ctx.setClassLoader(WechatEmulator.class.getClassLoader());
        isolate(ctx.getEnvironment().getPropertySources(), options);
        ctx.registerBean(EmulatorControl.class, () -> control);
        ctx.register(EmulatorWebConfiguration.class);
        try {
            ctx.refresh();
        } catch (RuntimeException e) {
            ctx.close();
            throw e;
        }
        String host = "0.0.0.0".equals(options.bindAddress()) || "::".equals(options.bindAddress()) ? "127.0.0.1" : options.bindAddress();
        return new WechatEmulator(ctx, control, host);
    }

    /** Only our own properties: no system properties or environment variables of the host (e.g. SERVER_PORT). */
    private static void isolate(MutablePropertySources sources, WechatEmulatorOptions options) {
        sources.remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        Map<String, Object> props = new HashMap<>(EmulatorWebConfiguration.defaultProperties());
        props.put("server.port", options.port());
        props.put("server.address", options.bindAddress());
        sources.addFirst(new MapPropertySource("wechat-emulator", props));
    }

    public int port() {
        return context.getWebServer().getPort();
    }

    /** e.g. http://127.0.0.1:54321 — use it for both the open.weixin.qq.com and the api.weixin.qq.com base URL. */
    public String baseUrl() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "http://" + h + ":" + port();
    }

    public EmulatorControl control() {
        return control;
    }

    public boolean isRunning() {
        return context.isActive();
    }

    @Override
    public void close() {
        context.close();
    }
}
