package dev.tongxing.server.audit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tongxing.server.audit.AuditReport.Kind;
import dev.tongxing.server.audit.AuditReport.Problem;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Walks the whole chain in sequence order and names the first entry that was altered, removed or
 * inserted, and checks every signed checkpoint against the gateway's keys (retired ones too) and against
 * the entry it signs.
 */
public final class AuditVerifier {

	/** How far back an entry's link is looked up, to tell an inserted entry from an altered one. */
	private static final int LOOKBACK = 1024;

	private final AuditEntries entries;

	private final AuditCheckpoints checkpoints;

	private final Supplier<JWKSet> keys;

	private final Supplier<List<String>> forgedStaged;

	/**
	 * @param keys every public key the gateway ever signed with
	 * @param forgedStaged the ids of staged rows (not linked yet) whose MAC does not verify
	 */
	AuditVerifier(AuditEntries entries, AuditCheckpoints checkpoints, Supplier<JWKSet> keys,
			Supplier<List<String>> forgedStaged) {
		this.entries = entries;
		this.checkpoints = checkpoints;
		this.keys = keys;
		this.forgedStaged = forgedStaged;
	}

	public AuditReport verify() {
		JWKSet keys = this.keys.get();
		// where the chain begins: its genesis, or the signed anchor its oldest entries were deleted up to
		AuditRetention.Anchor anchor = this.entries.anchor();
		if (anchor.seq() > 0) {
			String invalid = Walk.signatureProblem(keys, anchor.jws(), AuditRetention.TYPE, anchor.seq(), anchor.hash());
			if (invalid != null) {
				return new AuditReport(0, anchor.seq(), 0, new Problem(Kind.ANCHOR_INVALID, anchor.seq() + 1,
						"the chain's start (entries through " + anchor.seq() + " deleted at the end of their retention) "
								+ invalid + ": entries may have been deleted that retention did not delete"));
			}
		}
		NavigableMap<Long, AuditCheckpoints.Checkpoint> signed = new TreeMap<>();
		this.checkpoints.all().stream().filter(c -> c.seq() > anchor.seq()).forEach(c -> signed.put(c.seq(), c));
		Walk walk = new Walk(signed, keys, anchor);
		Problem problem = null;
		AuditEntries.Head head;
		while (true) {
			List<ChainedEntry> page = this.entries.after(walk.lastSeq);
			if (page.isEmpty()) {
				// Read after the last entry seen: the head never lags behind a committed entry, so entries
				// appended meanwhile are walked too, and an entry beyond this head was not appended by us.
				head = this.entries.head();
				if (head.seq() <= walk.lastSeq || (page = this.entries.after(walk.lastSeq)).isEmpty()) {
					break;
				}
			}
			for (ChainedEntry entry : page) {
				problem = walk.next(entry);
				if (problem != null) {
					return walk.report(problem);
				}
			}
		}
		if (walk.lastSeq > head.seq()) {
			problem = new Problem(Kind.INSERTED, head.seq() + 1, "entry " + (head.seq() + 1)
					+ " lies after the chain head (seq " + head.seq() + "): it was not appended by the gateway");
		}
		else if (walk.lastSeq < head.seq()) {
			problem = new Problem(Kind.REMOVED, walk.lastSeq + 1, "entries " + (walk.lastSeq + 1) + "–" + head.seq()
					+ " are missing: the chain head records seq " + head.seq());
		}
		else if (!walk.lastHash.equals(head.hash())) {
			problem = new Problem(Kind.ALTERED, walk.lastSeq,
					"entry " + walk.lastSeq + " was altered and re-hashed: the chain head records another hash");
		}
		else {
			Map.Entry<Long, AuditCheckpoints.Checkpoint> beyond = signed.higherEntry(walk.lastSeq);
			if (beyond != null) {
				problem = new Problem(Kind.REMOVED, walk.lastSeq + 1, "entries " + (walk.lastSeq + 1) + "–"
						+ beyond.getKey() + " are missing: a checkpoint signs entry " + beyond.getKey());
			}
		}
		if (problem == null) {
			List<String> forged = this.forgedStaged.get();
			if (!forged.isEmpty()) {
				problem = new Problem(Kind.STAGED_FORGED, walk.lastSeq + 1, forged.size()
						+ " row(s) waiting to be linked into the chain were not written by the gateway (no valid MAC), e.g. "
						+ forged.get(0));
			}
		}
		return walk.report(problem);
	}

	static final class Walk {

		private final NavigableMap<Long, AuditCheckpoints.Checkpoint> signed;

		private final JWKSet keys;

		private final Map<String, Long> recent = new LinkedHashMap<>() {
			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
				return size() > LOOKBACK;
			}
		};

		long count;

		long lastSeq;

		String lastHash = ChainedEntry.GENESIS;

		long lastGoodCheckpoint;

		int checkpointsVerified;

		Walk(NavigableMap<Long, AuditCheckpoints.Checkpoint> signed, JWKSet keys, AuditRetention.Anchor start) {
			this.signed = signed;
			this.keys = keys;
			this.lastSeq = start.seq();
			this.lastHash = start.hash();
			this.lastGoodCheckpoint = start.seq();
			this.recent.put(start.hash(), start.seq());
		}

		Problem next(ChainedEntry entry) {
			long expected = this.lastSeq + 1;
			if (!entry.prevHash().equals(this.lastHash)) {
				Long linked = this.recent.get(entry.prevHash());
				if (linked != null && linked < this.lastSeq) {
					return new Problem(Kind.INSERTED, linked + 1, "entry " + (linked + 1) + " was inserted: entry "
							+ entry.seq() + " (originally " + (linked + 1) + ") links to entry " + linked);
				}
				if (entry.seq() > expected) {
					return new Problem(Kind.REMOVED, expected, removed(expected, entry.seq()));
				}
				if (this.lastSeq == 0) {
					return new Problem(Kind.ALTERED, entry.seq(),
							"entry " + entry.seq() + " was altered: the first entry links to no genesis");
				}
				return new Problem(Kind.ALTERED, this.lastSeq, "entry " + this.lastSeq
						+ " was altered and re-hashed (or entry " + entry.seq() + " replaced): entry " + entry.seq()
						+ " links to a different hash");
			}
			if (entry.seq() != expected) {
				return new Problem(Kind.REMOVED, expected, removed(expected, entry.seq()));
			}
			if (!entry.hashMatches()) {
				return new Problem(Kind.ALTERED, entry.seq(), "entry " + entry.seq() + " (" + entry.type()
						+ ") was altered: its content does not match its hash");
			}
			AuditCheckpoints.Checkpoint checkpoint = this.signed.get(entry.seq());
			if (checkpoint != null) {
				Problem wrong = check(checkpoint, entry);
				if (wrong != null) {
					return wrong;
				}
				this.lastGoodCheckpoint = entry.seq();
				this.checkpointsVerified++;
			}
			this.count++;
			this.lastSeq = entry.seq();
			this.lastHash = entry.hash();
			this.recent.put(entry.hash(), entry.seq());
			return null;
		}

		private static String removed(long from, long next) {
			return (from == next - 1 ? "entry " + from + " was removed" : "entries " + from + "–" + (next - 1)
					+ " were removed") + ": entry " + next + " follows entry " + (from - 1);
		}

		private Problem check(AuditCheckpoints.Checkpoint checkpoint, ChainedEntry entry) {
			String invalid = signatureProblem(checkpoint);
			if (invalid != null) {
				return new Problem(Kind.CHECKPOINT_INVALID, checkpoint.seq(),
						"the checkpoint signed " + checkpoint.signedAt() + " for entry " + checkpoint.seq() + " " + invalid);
			}
			if (!checkpoint.hash().equals(entry.hash())) {
				return new Problem(Kind.CHECKPOINT_MISMATCH, checkpoint.seq(),
						"entry " + entry.seq() + " does not match the checkpoint signed " + checkpoint.signedAt()
								+ ": an entry among " + (this.lastGoodCheckpoint + 1) + "–" + entry.seq()
								+ " was altered, removed or inserted and the chain re-hashed");
			}
			return null;
		}

		private String signatureProblem(AuditCheckpoints.Checkpoint checkpoint) {
			return signatureProblem(this.keys, checkpoint.jws(), null, checkpoint.seq(), checkpoint.hash());
		}

		/**
		 * What is wrong with a JWS of the gateway's stating that entry {@code seq} has {@code hash}, or null.
		 * @param type the {@code typ} it must carry, or null for any
		 */
		static String signatureProblem(JWKSet keys, String token, String type, long expectedSeq, String expectedHash) {
			if (token == null) {
				return "is not signed";
			}
			try {
				SignedJWT jws = SignedJWT.parse(token);
				if (!JWSAlgorithm.RS256.equals(jws.getHeader().getAlgorithm())) {
					return "is not signed with RS256";
				}
				if (type != null && (jws.getHeader().getType() == null || !type.equals(jws.getHeader().getType().getType()))) {
					return "is a JWS of another kind than " + type;
				}
				JWK key = keys.getKeyByKeyId(jws.getHeader().getKeyID());
				if (!(key instanceof RSAKey rsa)) {
					return "names a key the gateway never had (" + jws.getHeader().getKeyID() + ")";
				}
				if (!jws.verify(new RSASSAVerifier(rsa.toRSAPublicKey()))) {
					return "has a signature that does not verify";
				}
				JWTClaimsSet claims = jws.getJWTClaimsSet();
				Long seq = claims.getLongClaim("seq");
				if (seq == null || seq != expectedSeq || !expectedHash.equals(claims.getStringClaim("hash"))) {
					return "was signed for another entry or hash than its row states";
				}
				return null;
			}
			catch (ParseException | JOSEException ex) {
				return "is not a readable JWS (" + ex.getMessage() + ")";
			}
		}

		AuditReport report(Problem problem) {
			return new AuditReport(this.count, this.lastSeq, this.checkpointsVerified, problem);
		}

	}

}
