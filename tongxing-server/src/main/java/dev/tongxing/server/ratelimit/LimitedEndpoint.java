package dev.tongxing.server.ratelimit;

/** The groups of endpoints a client's tier limits, each with a bucket of its own per client. */
public enum LimitedEndpoint {

	/** {@code /oauth2/token} */
	TOKEN("token"),

	/** {@code /oauth2/authorize} and {@code /oauth2/par} */
	AUTHORIZATION("authorization"),

	/** {@code /oauth2/introspect} and {@code /userinfo}: one bucket for both */
	INTROSPECTION("introspection");

	private final String policy;

	LimitedEndpoint(String policy) {
		this.policy = policy;
	}

	/** The policy's name in the {@code RateLimit} header fields and in Redis keys. */
	public String policy() {
		return this.policy;
	}

}
