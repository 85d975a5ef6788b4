package dev.tongxing.server.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
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

}
