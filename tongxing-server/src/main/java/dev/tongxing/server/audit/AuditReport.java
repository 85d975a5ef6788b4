package dev.tongxing.server.audit;

/**
 * What {@link AuditVerifier} found: how much of the chain it checked, and the first problem, if any.
 *
 * @param entries entries checked
 * @param lastSeq the last entry's sequence number
 * @param checkpoints signed checkpoints checked
 * @param problem the first problem in chain order, or null when the chain is intact
 */
public record AuditReport(long entries, long lastSeq, int checkpoints, Problem problem) {

	public enum Kind {

		/** An entry's content no longer matches its hash, or was changed and re-hashed. */
		ALTERED,
		/** An entry is missing: a gap in the sequence, or a link to an entry that is not there. */
		REMOVED,
		/** An entry that the chain does not link to: squeezed in, or after the chain head. */
		INSERTED,
		/** A checkpoint whose signature does not verify, or whose signed claims differ from its row. */
		CHECKPOINT_INVALID,
		/** A correctly signed checkpoint that the chain no longer matches: it was rewritten up to there. */
		CHECKPOINT_MISMATCH,
		/**
		 * The chain's start after its oldest entries were deleted at the end of their retention is not the one the
		 * gateway signed: entries were deleted by hand, or the start moved.
		 */
		ANCHOR_INVALID,
		/**
		 * A row waiting to be linked into the chain ({@code audit_staged_entry}) whose MAC does not verify: not
		 * written by the gateway; never linked.
		 */
		STAGED_FORGED

	}

	/**
	 * @param seq the first entry concerned (for a checkpoint: the entry it signs)
	 */
	public record Problem(Kind kind, long seq, String message) {
	}

	public boolean intact() {
		return this.problem == null;
	}

	/** For operators: one line when intact, the problem otherwise. */
	public String describe() {
		if (intact()) {
			return "Audit log intact: " + this.entries + " entries (last seq " + this.lastSeq + "), "
					+ this.checkpoints + " signed checkpoints verified.";
		}
		return "Audit log NOT intact: " + this.problem.kind() + " at seq " + this.problem.seq() + ": "
				+ this.problem.message();
	}

}
