package dev.tongxing.wechat.emulator.web;

import dev.tongxing.wechat.emulator.EmulatorControl;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.servlet.autoconfigure.HttpEncodingAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;

import java.util.Map;

/**
 * The emulator's Spring context: only the auto-configurations it needs, imported explicitly — never
 * {@code @EnableAutoConfiguration}, so a host application's classpath (security, JDBC, actuator...) does not leak in.
 * The {@link EmulatorControl} bean is registered by {@link dev.tongxing.wechat.emulator.WechatEmulator}.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration({
        PropertyPlaceholderAutoConfiguration.class,
        TomcatServletWebServerAutoConfiguration.class,
        DispatcherServletAutoConfiguration.class,
        HttpMessageConvertersAutoConfiguration.class,
        WebMvcAutoConfiguration.class,
        HttpEncodingAutoConfiguration.class,
        ErrorMvcAutoConfiguration.class})
@Import({ApiController.class, ConnectController.class, FollowController.class, ControlController.class})
public class EmulatorWebConfiguration {

    /** Properties of the emulator's own environment (the host's application.yml is never read). */
    public static Map<String, Object> defaultProperties() {
        return Map.of(
                "spring.application.name", "wechat-emulator",
                "server.shutdown", "immediate",
                "server.error.whitelabel.enabled", "true",
                "server.servlet.encoding.force", "false",
                "spring.mvc.pathmatch.matching-strategy", "path-pattern-parser");
    }

    @Bean
    public FilterRegistrationBean<EmulatorFilter> wechatEmulatorFilter(EmulatorControl control) {
        FilterRegistrationBean<EmulatorFilter> bean = new FilterRegistrationBean<>(new EmulatorFilter(control));
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        bean.addUrlPatterns("/*");
        return bean;
    }
}
