package dev.tongxing.server.oidc;

/**
 * The one place the {@code sub} a client sees for a person is decided: ID tokens, access tokens (and so
 * introspection), userinfo, logout tokens and security events all ask here. A client with {@code subject-type:
 * public} sees the account id, one with {@code pairwise} a sub of its sector; a person brought in from another
 * system keeps, at each client that named one, the {@code sub} that client already knew ({@link ClientSubjects}).
 */
public interface SubjectResolver {

	/** Every client sees the account id: the gateway's own behaviour when nothing is imported. */
	SubjectResolver ACCOUNT_ID = new SubjectResolver() {

		@Override
		public String subjectFor(String userId, String clientId) {
			return userId;
		}

		@Override
		public String userFor(String subject, String clientId) {
			return subject;
		}

	};

	/** The {@code sub} the client gets for the user. */
	String subjectFor(String userId, String clientId);

	/** The user a {@code sub} given to the client stands for (the inverse of {@link #subjectFor}). */
	String userFor(String subject, String clientId);

}
