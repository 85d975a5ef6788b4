package dev.tongxing.server.branding;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The deployment's own look ({@code tongxing.branding.*}) on the pages people see: product name in both
 * languages, logo, colours, the contact for policy questions, and an override folder of files served under
 * {@code /branding/files/} and of Thymeleaf templates resolved before the built-in ones. Checked at start-up
 * ({@link Branding}).
 *
 * @param folder a directory: {@code files/} is served at {@code /branding/files/} ({@code files/branding.css}, when
 * there, is added to every page after the built-in stylesheet), {@code templates/} overrides built-in templates of
 * the same name
 */
@ConfigurationProperties("tongxing.branding")
public record BrandingProperties(Look.Name productName, String logo, String primaryColor, String accentColor,
		String policyContact, String folder) {

	Look look() {
		return new Look(this.productName, this.logo, this.primaryColor, this.accentColor, this.policyContact);
	}

}
