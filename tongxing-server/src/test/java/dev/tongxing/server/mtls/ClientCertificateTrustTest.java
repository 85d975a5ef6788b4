package dev.tongxing.server.mtls;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Date;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which chains {@code tls_client_auth} accepts, and what a proxy's certificate header may hold. */
class ClientCertificateTrustTest {

	static final TestPki CA = new TestPki("Trusted Client CA");

	@Test
	void aChainToAConfiguredCaIsTrustedWithOrWithoutTheCaSentAlong(@TempDir Path directory) throws Exception {
		ClientCertificateTrust trust = ClientCertificateTrust.fromPem(
				Files.writeString(directory.resolve("ca.pem"), TestPki.pem(CA.caCertificate())), Date::new);
		TestPki.Identity client = CA.client("CN=app");
		assertThat(trust.trusts(client.chain())).isTrue();
		assertThat(trust.trusts(new X509Certificate[] { client.certificate() })).isTrue();

		assertThat(trust.trusts(new TestPki("Other CA").client("CN=app").chain())).isFalse();
		assertThat(trust.trusts(TestPki.selfSigned("CN=app").chain())).isFalse();
		assertThat(trust.trusts(new X509Certificate[] { CA.caCertificate() })).isFalse(); // the CA is nobody's
		assertThat(trust.trusts(new X509Certificate[0])).isFalse();
		assertThat(trust.trusts(null)).isFalse();
		// outside its validity (issued for a day)
		ClientCertificateTrust later = ClientCertificateTrust.fromPem(directory.resolve("ca.pem"),
				() -> new Date(System.currentTimeMillis() + 3L * 24 * 3600 * 1000));
		assertThat(later.trusts(client.chain())).isFalse();
		assertThat(ClientCertificateTrust.none().trusts(client.chain())).isFalse();
	}

	@Test
	void aProxysHeaderIsUrlEncodedPemAndAnythingElseIsNoCertificate() {
		X509Certificate certificate = CA.client("CN=app").certificate();
		String pem = TestPki.pem(certificate);
		assertThat(ForwardedClientCertificates.parse(URLEncoder.encode(pem, StandardCharsets.UTF_8)))
			.containsExactly(certificate);
		for (String bad : new String[] { "", "%", "%zz", "not a certificate", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
				"x".repeat(20_000) }) {
			assertThat(ForwardedClientCertificates.parse(bad)).as(bad.length() > 50 ? "long" : bad).isNull();
		}
	}

	@Test
	void settingsAreCheckedAndTheAliasesFollowThePort() {
		MtlsProperties off = new MtlsProperties(null, null, null, null, null, null);
		assertThat(off.enabled()).isFalse();
		assertThat(off.methods()).isEmpty();
		MtlsProperties connector = new MtlsProperties(8443, "/etc/tongxing/tls.pem", "/etc/tongxing/tls-key.pem",
				"/etc/tongxing/client-ca.pem", null, null);
		assertThat(connector.methods()).containsExactly("tls_client_auth", "self_signed_tls_client_auth");
		assertThat(connector.aliasBase("https://login.example.com")).isEqualTo("https://login.example.com:8443");
		assertThat(connector.problems()).isEmpty();
		MtlsProperties proxied = new MtlsProperties(null, null, null, null, "https://mtls.login.example.com/", "X-Client-Cert");
		assertThat(proxied.methods()).containsExactly("self_signed_tls_client_auth");
		assertThat(proxied.aliasBase("https://login.example.com")).isEqualTo("https://mtls.login.example.com");
		assertThat(new MtlsProperties(8443, null, null, null, "http://x", "bad header").problems()).hasSize(3);
	}

}
