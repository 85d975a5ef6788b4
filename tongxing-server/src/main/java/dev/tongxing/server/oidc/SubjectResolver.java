package dev.tongxing.server.oidc;

/**
 * The one place the {@code sub} a client sees for a person is decided: ID tokens, access tokens (and so
 * introspection) and userinfo all ask here. By default a client sees the account id; a person brought in
 * from another system keeps, at each client that named one, the {@code sub} that client already knew.
 * Implemented outside this package (transfer), so that the provider knows nothing of imports.
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
