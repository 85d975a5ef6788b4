package dev.tongxing.server.mtls;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;

/**
 * Coverage-guided fuzzing (Jazzer) of the client certificate a proxy forwards in a header: whatever the bytes, the
 * parse answers certificates or null (no certificate), and never throws. Regression mode (every test run) replays the
 * inputs in {@code ForwardedCertificateFuzzTestInputs/}; {@code bin/fuzz} fuzzes.
 */
class ForwardedCertificateFuzzTest {

	@FuzzTest(maxDuration = "10s")
	void anyHeaderIsCertificatesOrNone(byte[] header) {
		X509Certificate[] chain = ForwardedClientCertificates.parse(new String(header, StandardCharsets.UTF_8));
		if (chain != null) {
			assertTrue(chain.length > 0);
		}
	}

}
