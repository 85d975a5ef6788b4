package dev.tongxing.server.connector.phone;

/** What a code check found. Only {@link Verified} proves possession of the number. */
public sealed interface VerifyOutcome {

	/** The code was right: the person holds {@code phone} (E.164). The code is now used up. */
	record Verified(String phone) implements VerifyOutcome {
	}

	/** The input is not a phone number. */
	record InvalidNumber() implements VerifyOutcome {
	}

	/** The code was wrong; {@code attemptsLeft} more tries before it dies (0: it just died). */
	record WrongCode(int attemptsLeft) implements VerifyOutcome {
	}

	/** There is no live code for this number: none was sent, it was used, or it was replaced by a newer one. */
	record NoCode() implements VerifyOutcome {
	}

	/** The code's life is over. */
	record Expired() implements VerifyOutcome {
	}

	/** Too many wrong tries killed the code; only a new one helps. */
	record TooManyAttempts() implements VerifyOutcome {
	}

}
