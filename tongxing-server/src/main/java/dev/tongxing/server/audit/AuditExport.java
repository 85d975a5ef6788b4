package dev.tongxing.server.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The audit log as JSON Lines for an auditor: one entry per line, in sequence order, with every field
 * its hash covers, its {@code prev_hash} and its {@code hash} (see {@link ChainedEntry} for how to
 * recompute it). {@code details} is the exact JSON text that was hashed.
 */
public final class AuditExport {

	private final AuditEntries entries;

	AuditExport(AuditEntries entries) {
		this.entries = entries;
	}

	/**
	 * Writes the entries recorded in [from, to).
	 * @param from null for the beginning
	 * @param to null for now
	 * @return how many entries were written
	 */
	public long write(Instant from, Instant to, Writer out) {
		Instant start = from != null ? from : Instant.EPOCH;
		Instant end = to != null ? to : Instant.parse("9999-12-31T00:00:00Z");
		long written = 0;
		long after = 0;
		try {
			List<ChainedEntry> page;
			while (!(page = this.entries.after(after, start, end)).isEmpty()) {
				for (ChainedEntry entry : page) {
					out.write(entry.jsonLine());
					out.write('\n');
					after = entry.seq();
					written++;
				}
				out.flush();
			}
			out.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return written;
	}

	/**
	 * Reads a range bound: an instant with its offset ({@code 2026-01-31T00:00:00+08:00}) or a date (UTC
	 * midnight); null or blank for none.
	 */
	public static Instant parseTime(String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
					: OffsetDateTime.parse(value).toInstant();
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException(
					"from and to are dates (2026-01-31) or instants (2026-01-31T00:00:00+08:00), not " + value);
		}
	}

}
