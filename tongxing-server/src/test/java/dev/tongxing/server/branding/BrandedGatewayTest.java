package dev.tongxing.server.branding;

import dev.tongxing.server.testing.GatewayTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * A gateway with the deployment's branding set and an override folder (a logo, a stylesheet, a template); the
 * test profile's {@code web-eddsa} client has branding of its own. The branding tests share this one context.
 */
@TestPropertySource(properties = { "tongxing.branding.product-name.zh=星河账号",
		"tongxing.branding.product-name.en=Xinghe Account", "tongxing.branding.logo=logo.svg",
		"tongxing.branding.primary-color=#1a73e8", "tongxing.branding.accent-color=rgb(255, 87, 34)",
		"tongxing.branding.policy-contact=privacy@xinghe.example" })
abstract class BrandedGatewayTest extends GatewayTest {

	static final Path FOLDER = folder();

	static final String LOGO = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"32\" height=\"32\"><circle cx=\"16\" cy=\"16\" r=\"16\" fill=\"#1a73e8\"/></svg>";

	static final String EXTRA_CSS = ".brand span { letter-spacing: .1em; }\n";

	@DynamicPropertySource
	static void brandingFolder(DynamicPropertyRegistry registry) {
		registry.add("tongxing.branding.folder", FOLDER::toString);
	}

	private static Path folder() {
		try {
			Path folder = Files.createTempDirectory("tongxing-branding");
			Files.createDirectories(folder.resolve("files"));
			Files.writeString(folder.resolve("files/logo.svg"), LOGO);
			Files.writeString(folder.resolve("files/branding.css"), EXTRA_CSS);
			// the sign-out confirmation page, overridden: its hooks kept, a sentence of the deployment's own added
			Files.createDirectories(folder.resolve("templates/login"));
			Files.writeString(folder.resolve("templates/login/sign-out.html"), """
					<!DOCTYPE html>
					<html xmlns:th="http://www.thymeleaf.org" th:lang="${#locale.toLanguageTag()}">
					<head th:replace="~{fragments/head :: head(#{logout.confirm.title})}"></head>
					<body>
					<main class="card" data-testid="sign-out-confirm">
					  <th:block th:replace="~{fragments/head :: brand}"></th:block>
					  <p data-testid="overridden-template">Xinghe's own sign-out page</p>
					  <form method="post" th:action="@{/logout}">
					    <button type="submit" class="button primary" data-action="logout" th:text="#{logout.confirm.yes}">Sign out</button>
					  </form>
					</main>
					</body>
					</html>
					""");
			return folder;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
