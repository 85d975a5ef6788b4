package dev.tongxing.server.branding;

import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.FileTemplateResolver;
import org.thymeleaf.templateresolver.ITemplateResolver;

/**
 * The override folder: its {@code files/} served at {@link Branding#FILES_PATH}, and its {@code templates/}
 * resolved before the built-in templates (a file there replaces the built-in template of the same name, e.g.
 * {@code templates/login/login.html}; a name it does not have falls through to the built-in one).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ BrandingProperties.class, BrandingClientSettings.class })
class BrandingConfig {

	@Bean
	WebMvcConfigurer brandingFiles(Branding branding) {
		return new WebMvcConfigurer() {
			@Override
			public void addResourceHandlers(ResourceHandlerRegistry registry) {
				if (branding.folder() != null && Files.isDirectory(branding.folder().resolve("files"))) {
					registry.addResourceHandler(Branding.FILES_PATH + "**")
						.addResourceLocations(branding.folder().resolve("files").toUri().toString())
						.setCacheControl(org.springframework.http.CacheControl.maxAge(java.time.Duration.ofMinutes(5)));
				}
			}
		};
	}

	/** Thymeleaf takes every resolver bean, lowest order first; the built-in one has none, so it comes last. */
	@Bean
	ITemplateResolver brandingTemplates(Branding branding) {
		Path templates = branding.folder() == null ? null : branding.folder().resolve("templates");
		FileTemplateResolver resolver = new FileTemplateResolver();
		resolver.setOrder(0);
		resolver.setTemplateMode(TemplateMode.HTML);
		resolver.setCharacterEncoding("UTF-8");
		resolver.setCheckExistence(true);
		resolver.setCacheable(true);
		if (templates != null && Files.isDirectory(templates)) {
			resolver.setPrefix(templates.toString() + java.io.File.separator);
			resolver.setSuffix(".html");
		}
		else {
			// no folder: a resolver that resolves nothing, so the built-in templates are all there is
			resolver.setResolvablePatterns(java.util.Set.of("-"));
		}
		return resolver;
	}

}
