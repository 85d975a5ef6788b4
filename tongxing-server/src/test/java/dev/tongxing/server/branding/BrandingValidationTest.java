package dev.tongxing.server.branding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.support.StaticMessageSource;

/** Start-up refuses branding it cannot show safely, and says what is wrong with each value. */
class BrandingValidationTest {

	private static Branding branding(BrandingProperties deployment, BrandingClientSettings.Client... clients) {
		return new Branding(deployment, new BrandingClientSettings(List.of(clients)), new StaticMessageSource());
	}

	private static BrandingProperties colours(String primary, String accent) {
		return new BrandingProperties(null, null, primary, accent, null, null);
	}

	@Test
	void cssColoursPassAndAnythingThatCouldEscapeTheDeclarationDoesNot() {
		for (String good : new String[] { "#fff", "#FFFF", "#1a73e8", "#1a73e880", "rgb(255, 87, 34)", "rgba(0,0,0,.5)",
				"rgb(10% 20% 30% / 0.5)", "hsl(120deg, 50%, 50%)", "navy", "RebeccaPurple" }) {
			assertThat(CssColours.isColour(good)).as(good).isTrue();
		}
		for (String bad : new String[] { "", "#ggg", "#12345", "red; } body { display: none", "url(x)", "reddish",
				"rgb(1,2)", "var(--x)", "expression(alert(1))", "#fff;" }) {
			assertThat(CssColours.isColour(bad)).as(bad).isFalse();
		}
	}

	@Test
	void everyProblemIsListedWithItsKey(@TempDir Path folder) {
		assertThatThrownBy(() -> branding(new BrandingProperties(new Look.Name("星河", null), "http://cdn.example/l.png",
				"red; }", "blueish", "x".repeat(201), null)))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("tongxing.branding.product-name.en: is required")
			.hasMessageContaining("tongxing.branding.logo: 'http://cdn.example/l.png'")
			.hasMessageContaining("tongxing.branding.primary-color: 'red; }' is not a CSS colour")
			.hasMessageContaining("tongxing.branding.accent-color: 'blueish' is not a CSS colour")
			.hasMessageContaining("tongxing.branding.policy-contact: at most 200 characters");
		assertThatThrownBy(() -> branding(new BrandingProperties(null, "logo.png", null, null, null, null)))
			.hasMessageContaining("names a file, but tongxing.branding.folder is not set");
		assertThatThrownBy(() -> branding(
				new BrandingProperties(null, "logo.png", null, null, null, folder.toString())))
			.hasMessageContaining("tongxing.branding.logo: 'logo.png' is not a file in");
		assertThatThrownBy(() -> branding(new BrandingProperties(null, "../secret", null, null, null, folder.toString())))
			.hasMessageContaining("is neither an https URL");
		assertThatThrownBy(() -> branding(
				new BrandingProperties(null, null, null, null, null, folder.resolve("missing").toString())))
			.hasMessageContaining("tongxing.branding.folder: ")
			.hasMessageContaining("is not a readable directory");
	}

	@Test
	void onlyAFirstPartyClientHasBrandingOfItsOwn() {
		Look look = new Look(new Look.Name("直播", "Live"), null, "#000", null, null);
		assertThatThrownBy(() -> branding(colours(null, null),
				new BrandingClientSettings.Client("partner", false, look)))
			.hasMessageContaining("tongxing.clients[0].branding: only a first-party client")
			.hasMessageContaining("partner");
		assertThatThrownBy(() -> branding(colours(null, null), new BrandingClientSettings.Client("web", true,
				new Look(null, null, "#00", null, null))))
			.hasMessageContaining("tongxing.clients[0].branding.primary-color: '#00'");
		Branding ok = branding(colours("#111", "#222"), new BrandingClientSettings.Client("web", true, look));
		assertThat(ok.look("web")).isEqualTo(new Look(new Look.Name("直播", "Live"), null, "#000", "#222", null));
		assertThat(ok.look("other")).isEqualTo(new Look(null, null, "#111", "#222", null));
	}

	@Test
	void aFileInTheFolderIsALogo(@TempDir Path folder) throws Exception {
		Files.createDirectories(folder.resolve("files"));
		Files.writeString(folder.resolve("files/logo.png"), "png");
		Branding ok = branding(new BrandingProperties(null, "logo.png", null, null, null, folder.toString()));
		assertThat(ok.folder()).isEqualTo(folder.toAbsolutePath().normalize());
	}

}
