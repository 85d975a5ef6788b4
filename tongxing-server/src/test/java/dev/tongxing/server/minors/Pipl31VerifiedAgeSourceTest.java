package dev.tongxing.server.minors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Pkce;
import dev.tongxing.server.testing.TestBrowser;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * PIPL Art. 31 with {@code tongxing.minors.age-check=verified}: the bracket comes from the operator's verified
 * source, not from the person; a person the source cannot place waits; and the configurations that could not
 * work stop start-up.
 */
@TestPropertySource(properties = "tongxing.minors.age-check=verified")
@Import(Pipl31VerifiedAgeSourceTest.Registry.class)
class Pipl31VerifiedAgeSourceTest extends GatewayTest {

	static final String CALLBACK = "http://127.0.0.1:3000/callback";

	/** A stand-in identity registry: knows adults by name, children by name, and nobody else. */
	@TestConfiguration
	static class Registry {

		@Bean
		VerifiedAgeSource testRegistry(dev.tongxing.server.account.AccountService accounts) {
			return new VerifiedAgeSource() {
				@Override
				public String name() {
					return "test-registry";
				}

				@Override
				public Optional<AgeBracket> bracket(String userId) {
					String name = accounts.find(userId).map(u -> u.displayName()).orElse("");
					return name.startsWith("grown") ? Optional.of(AgeBracket.ADULT)
							: name.startsWith("kid") ? Optional.of(AgeBracket.UNDER_14) : Optional.empty();
				}
			};
		}

	}

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Minors minors;

	@Autowired
	dev.tongxing.server.account.AccountService accounts;

	HttpResponse<String> signIn(String name) {
		TestBrowser browser = browser();
		browser.follow(browser.get(new OAuthClient(this.issuer)
			.authorizeUri(OAuthClient.authorizeParams("live-web", CALLBACK, "openid", Pkce.create()))
			.toString()), null);
		return browser.follow(browser.submit(browser.get("/login/dev"), "/login/dev", Map.of("username", name)),
				CALLBACK);
	}

	String user(String name) {
		return this.accounts.userFor(new dev.tongxing.server.account.ExternalIdentity.IdentityKey("dev", name))
			.orElseThrow();
	}

	@Test
	void theVerifiedSourceDecidesAndNobodyIsAskedToDeclare() {
		String adult = "grown-" + System.nanoTime();
		HttpResponse<String> back = signIn(adult);
		assertThat(back.headers().firstValue("Location").orElseThrow()).startsWith(CALLBACK);
		assertThat(this.minors.standing(user(adult)).orElseThrow().source()).isEqualTo("verified:test-registry");

		String child = "kid-" + System.nanoTime();
		assertThat(signIn(child).uri().getPath()).isEqualTo("/account/guardian");
		assertThat(this.minors.standing(user(child)).orElseThrow().bracket()).isEqualTo(AgeBracket.UNDER_14);

		// the source cannot place this person: they wait, and cannot pick a bracket themselves
		String unknown = "nobody-" + System.nanoTime();
		HttpResponse<String> waiting = signIn(unknown);
		assertThat(waiting.uri().getPath()).isEqualTo("/account/age");
		assertThat(waiting.body()).contains("data-testid=\"age-unverified\"").doesNotContain("data-age-bracket");
		assertThat(this.minors.standing(user(unknown))).isEmpty();
	}

	@Test
	void configurationsThatCannotWorkStopStartUp() {
		var noSource = new StaticListableBeanFactory().getBeanProvider(VerifiedAgeSource.class);
		assertThatThrownBy(() -> new Minors(null, null, new MinorsProperties(MinorsProperties.AgeCheck.VERIFIED), null,
				null, noSource, new MinorClientSettings(List.of()), null))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("needs a VerifiedAgeSource");
		assertThatThrownBy(() -> new Minors(null, null, new MinorsProperties(MinorsProperties.AgeCheck.OFF), null, null,
				noSource, new MinorClientSettings(List.of(new MinorClientSettings.Client("adults", true))), null))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("adults-only");
	}

}
