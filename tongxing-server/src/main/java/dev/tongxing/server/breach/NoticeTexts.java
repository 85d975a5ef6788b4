package dev.tongxing.server.breach;

import dev.tongxing.server.privacy.PersonalDataCatalog;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * The words of an incident notice, in Chinese or English, with what PIPL Art. 57 asks a notice to say: the
 * personal information involved, the cause and the possible harm, the remedial measures taken, what the person
 * can do to reduce the harm, and how to reach the handler.
 */
@Component
public class NoticeTexts {

	/** One part of the notice: its label and its text. {@code field} names it for pages and tests. */
	public record Part(String field, String label, String text) {
	}

	public record Notice(String title, String intro, List<Part> parts) {
	}

	private final MessageSource messages;

	private final PersonalDataCatalog catalog;

	private final BreachProperties properties;

	private final String issuer;

	NoticeTexts(MessageSource messages, PersonalDataCatalog catalog, BreachProperties properties,
			@Value("${tongxing.issuer}") String issuer) {
		this.messages = messages;
		this.catalog = catalog;
		this.properties = properties;
		this.issuer = issuer;
	}

	public Notice notice(Breach breach, Locale locale) {
		List<Part> parts = List.of(
				part("categories", categories(breach, locale), locale),
				part("what", breach.description().in(locale), locale),
				part("cause", breach.cause().in(locale), locale),
				part("harm", breach.harm().in(locale), locale),
				part("measures", breach.measures().in(locale), locale),
				part("remedies", breach.remedies().in(locale), locale),
				part("contact", breach.contact(), locale));
		return new Notice(text("breach.notice.title", locale, app(locale)),
				text("breach.notice.intro", locale, app(locale), day(breach.discoveredAt(), locale)), parts);
	}

	/** The SMS: every part of the notice, short labels, and where to read it after signing in. */
	public String sms(Breach breach) {
		Locale locale = this.properties.smsLocale();
		Notice notice = notice(breach, locale);
		StringBuilder text = new StringBuilder(text("breach.sms-text.start", locale, app(locale),
				day(breach.discoveredAt(), locale)));
		for (Part part : notice.parts()) {
			text.append(text("breach.sms-text.part", locale, part.label(), part.text()));
		}
		text.append(text("breach.sms-text.end", locale, this.issuer + "/account/notices/" + breach.id()));
		return text.toString();
	}

	/** The SMS for a provider's template: the day it was found, in the notices' zone, and the incident's id. */
	public NoticeSms.Template smsTemplate(Breach breach) {
		return new NoticeSms.Template(
				DateTimeFormatter.ISO_LOCAL_DATE.format(breach.discoveredAt().atZone(this.properties.zone())), breach.id());
	}

	/** The names of the data categories involved, as the personal-data catalogue calls them. */
	public String categories(Breach breach, Locale locale) {
		return String.join(text("breach.notice.list-separator", locale), breach.categories()
			.stream()
			.map(id -> this.catalog.item(id).map(item -> item.name().in(locale)).orElse(id))
			.toList());
	}

	private Part part(String field, String value, Locale locale) {
		return new Part(field, text("breach.notice." + field, locale), value);
	}

	private String day(Instant instant, Locale locale) {
		return DateTimeFormatter.ofPattern("zh".equals(locale.getLanguage()) ? "yyyy年M月d日" : "d MMM yyyy", locale)
			.format(instant.atZone(this.properties.zone()));
	}

	private String app(Locale locale) {
		return this.messages.getMessage("app.name", null, "Tongxing", locale);
	}

	private String text(String key, Locale locale, Object... args) {
		return this.messages.getMessage(key, args, locale);
	}

}
