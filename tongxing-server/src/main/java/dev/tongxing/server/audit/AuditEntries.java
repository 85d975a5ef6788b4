package dev.tongxing.server.audit;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Reads the chain in pages, in sequence order, so a log of any length fits in memory. */
final class AuditEntries {

	static final int PAGE = 1000;

	record Head(long seq, String hash) {
	}

	private static final String COLUMNS = "seq, recorded_at, type, actor, subject, client_id, details, prev_hash, hash";

	private final JdbcClient jdbc;

	AuditEntries(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Up to {@link #PAGE} entries after {@code afterSeq}. */
	List<ChainedEntry> after(long afterSeq) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM audit_entry WHERE seq > :after ORDER BY seq LIMIT " + PAGE)
			.param("after", afterSeq)
			.query((rs, i) -> map(rs))
			.list();
	}

	/** Up to {@link #PAGE} entries after {@code afterSeq} recorded in [from, to). */
	List<ChainedEntry> after(long afterSeq, Instant from, Instant to) {
		return this.jdbc.sql("SELECT " + COLUMNS + """
				 FROM audit_entry WHERE seq > :after AND recorded_at >= :from AND recorded_at < :to
				ORDER BY seq LIMIT """ + " " + PAGE)
			.param("after", afterSeq)
			.param("from", from.atOffset(ZoneOffset.UTC))
			.param("to", to.atOffset(ZoneOffset.UTC))
			.query((rs, i) -> map(rs))
			.list();
	}

	/** Where the chain begins (see {@link AuditRetention}). */
	AuditRetention.Anchor anchor() {
		return AuditRetention.read(this.jdbc);
	}

	Head head() {
		return this.jdbc.sql("SELECT seq, hash FROM audit_chain_head WHERE id = 1")
			.query((rs, i) -> new Head(rs.getLong(1), rs.getString(2)))
			.single();
	}

	private static ChainedEntry map(java.sql.ResultSet rs) throws java.sql.SQLException {
		return new ChainedEntry(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getString(3),
				rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9));
	}

}
