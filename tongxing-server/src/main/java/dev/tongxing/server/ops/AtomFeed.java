package dev.tongxing.server.ops;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** The incidents as an Atom 1.0 feed (RFC 4287): one entry per incident, updated with its timeline. */
final class AtomFeed {

	private AtomFeed() {
	}

	static String write(String title, String statusUrl, String feedUrl, List<StatusPage.IncidentView> incidents,
			String language) {
		Instant updated = incidents.stream()
			.map(StatusPage.IncidentView::lastUpdated)
			.max(Instant::compareTo)
			.orElse(Instant.EPOCH);
		StringBuilder xml = new StringBuilder(1024);
		xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
			.append("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"").append(escape(language)).append("\">\n")
			.append("  <id>").append(escape(statusUrl)).append("</id>\n")
			.append("  <title>").append(escape(title)).append("</title>\n")
			.append("  <updated>").append(instant(updated)).append("</updated>\n")
			.append("  <link rel=\"self\" type=\"application/atom+xml\" href=\"").append(escape(feedUrl)).append("\"/>\n")
			.append("  <link rel=\"alternate\" type=\"text/html\" href=\"").append(escape(statusUrl)).append("\"/>\n")
			.append("  <author><name>").append(escape(title)).append("</name></author>\n");
		for (StatusPage.IncidentView incident : incidents) {
			String link = statusUrl + "#incident-" + incident.id();
			StringBuilder content = new StringBuilder();
			if (incident.cause() != null) {
				content.append(incident.cause()).append("\n");
			}
			content.append(incident.period()).append("\n");
			incident.updates().forEach(u -> content.append("\n").append(u.shownAt()).append(" — ").append(u.text()));
			xml.append("  <entry>\n")
				.append("    <id>").append(escape(link)).append("</id>\n")
				.append("    <title>").append(escape(incident.title())).append("</title>\n")
				.append("    <published>").append(instant(incident.openedAt())).append("</published>\n")
				.append("    <updated>").append(instant(incident.lastUpdated())).append("</updated>\n")
				.append("    <link rel=\"alternate\" type=\"text/html\" href=\"").append(escape(link)).append("\"/>\n")
				.append("    <category term=\"").append(incident.open() ? "open" : "resolved").append("\"/>\n")
				.append("    <content type=\"text\">").append(escape(content.toString())).append("</content>\n")
				.append("  </entry>\n");
		}
		return xml.append("</feed>\n").toString();
	}

	private static String instant(Instant instant) {
		return instant.truncatedTo(ChronoUnit.SECONDS).toString();
	}

	/** Text and attribute values; characters XML 1.0 forbids are dropped. */
	static String escape(String text) {
		StringBuilder out = new StringBuilder(text.length());
		text.codePoints().forEach(c -> {
			switch (c) {
				case '&' -> out.append("&amp;");
				case '<' -> out.append("&lt;");
				case '>' -> out.append("&gt;");
				case '"' -> out.append("&quot;");
				case '\'' -> out.append("&apos;");
				default -> {
					if (c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
							|| c >= 0x10000) {
						out.appendCodePoint(c);
					}
				}
			}
		});
		return out.toString();
	}

}
