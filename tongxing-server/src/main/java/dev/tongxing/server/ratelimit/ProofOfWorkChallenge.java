package dev.tongxing.server.ratelimit;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.HexFormat;

/** The default challenge: the self-hosted {@link ProofOfWork}, each solved challenge used once (cluster-wide). */
final class ProofOfWorkChallenge implements SmsChallenge {

	private final ProofOfWork proofOfWork;

	private final Buckets buckets;

	private final Duration ttl;

	ProofOfWorkChallenge(ProofOfWork proofOfWork, Buckets buckets, Duration ttl) {
		this.proofOfWork = proofOfWork;
		this.buckets = buckets;
		this.ttl = ttl;
	}

	@Override
	public String kind() {
		return "pow";
	}

	@Override
	public PhoneAbuseGuard.Challenge issue(String binding, boolean lastCheckUnavailable) {
		return new PhoneAbuseGuard.Challenge(kind(), this.proofOfWork.issue(binding), this.proofOfWork.difficulty());
	}

	@Override
	public Answer check(HttpServletRequest request, String binding) {
		String challenge = request.getParameter(CHALLENGE_FIELD);
		String solution = request.getParameter(SOLUTION_FIELD);
		if (challenge == null || solution == null || solution.isEmpty()) {
			return Answer.NONE;
		}
		boolean solved = this.proofOfWork.solved(challenge, solution, binding)
				&& this.buckets.take("challenge-used:" + HexFormat.of().formatHex(ProofOfWork.sha256(challenge)),
						RequestLimit.per(1, this.ttl.plusMinutes(1))).allowed();
		return solved ? Answer.PASSED : Answer.FAILED;
	}

}
