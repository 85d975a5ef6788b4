package dev.tongxing.server.audit;

import com.nimbusds.jose.jwk.JWKSet;

/**
 * The public keys that verify the audit log's checkpoints (the gateway's signing keys, current and retired).
 * The package that holds the keys provides it, so the audit log names no other package.
 */
@FunctionalInterface
public interface AuditVerificationKeys {

	JWKSet publicKeys();

}
