package dev.tongxing.server.oidc.client;

/** A client's partner tier; rate limits are set per tier (S is the highest). */
public enum ClientTier {

	S, A, B, C

}
