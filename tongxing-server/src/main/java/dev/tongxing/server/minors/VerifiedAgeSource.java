package dev.tongxing.server.minors;

import java.util.Optional;

/**
 * Where {@code tongxing.minors.age-check=verified} takes the age bracket from: a real-name or national network
 * identity service the operator integrates (one bean). Asked once per account, after its first sign-in.
 */
public interface VerifiedAgeSource {

	/** A short name for the records, e.g. {@code ctid}. */
	String name();

	/** @return the person's verified bracket, or empty when the source cannot tell (the account then waits) */
	Optional<AgeBracket> bracket(String userId);

}
