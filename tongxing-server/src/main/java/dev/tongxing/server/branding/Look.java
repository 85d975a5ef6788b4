package dev.tongxing.server.branding;

/**
 * What branding may set, for the deployment or for one first-party client; an unset part falls back to the
 * deployment's, then to the built-in one.
 *
 * @param logo an {@code https} URL, a path on this gateway ({@code /images/…}), or the name of a file in the
 * override folder's {@code files/}
 * @param primaryColor a CSS colour for primary buttons
 * @param accentColor a CSS colour for links, hover borders and the header line
 */
public record Look(Name productName, String logo, String primaryColor, String accentColor, String policyContact) {

	static final Look NONE = new Look(null, null, null, null, null);

	/** A name in both languages the pages are in. */
	public record Name(String zh, String en) {

		String in(java.util.Locale locale) {
			return "zh".equals(locale.getLanguage()) ? this.zh : this.en;
		}

	}

	/** This look with the other's parts where this one has none. */
	Look over(Look fallback) {
		return new Look(this.productName != null ? this.productName : fallback.productName,
				this.logo != null ? this.logo : fallback.logo,
				this.primaryColor != null ? this.primaryColor : fallback.primaryColor,
				this.accentColor != null ? this.accentColor : fallback.accentColor,
				this.policyContact != null ? this.policyContact : fallback.policyContact);
	}

	boolean colours() {
		return this.primaryColor != null || this.accentColor != null;
	}

}
