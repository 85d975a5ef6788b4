package dev.tongxing.server.resilience;

/** Whether an upstream call may be sent again after a transient failure. */
public enum Repeat {

	/** Asking again changes nothing upstream (app tokens, userinfo, discovery, keys): retried with backoff. */
	SAFE,

	/** Sent at most once (a code exchange, an SMS): a retry could burn a code or send a second message. */
	NEVER

}
