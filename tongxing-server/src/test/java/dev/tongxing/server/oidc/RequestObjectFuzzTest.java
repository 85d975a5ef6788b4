package dev.tongxing.server.oidc;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing (Jazzer) of the one place a {@code request} object is read (unverified, to answer a refused
 * one the way it asks): any bytes give claims or none, never an exception.
 */
class RequestObjectFuzzTest {

	@FuzzTest(maxDuration = "10s")
	void anyRequestObjectGivesClaimsOrNone(byte[] requestObject) {
		assertNotNull(IssuerAwareAuthorizationResponses.unverifiedClaims(new String(requestObject, StandardCharsets.UTF_8)));
	}

}
