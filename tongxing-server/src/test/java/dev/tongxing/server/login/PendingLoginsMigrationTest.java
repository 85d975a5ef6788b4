package dev.tongxing.server.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.TongxingApplication;
import dev.tongxing.server.crypto.Digests;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpSession;

/**
 * A database of the previous release (through V96) with WeChat and OpenID Connect logins under way: after the upgrade
 * they are in the one pending-login table, the old tables are gone, and each still finishes — once, in the
 * browser that began it.
 */
class PendingLoginsMigrationTest {

	@TempDir
	Path dir;

	@Test
	void loginsUnderWayCarryOverAndStillFinishInTheirBrowser() {
		String url = "jdbc:h2:file:" + this.dir.resolve("db").toAbsolutePath();
		JdbcClient jdbc = previousRelease(url);
		OffsetDateTime soon = OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(5);
		jdbc.sql("""
				INSERT INTO wechat_login_state (state, binding_hash, appid, scope, purpose, expires_at)
				VALUES ('WxState1', :b, 'wx0000000000000001', 'snsapi_login', 'bind', :e)""")
			.param("b", Digests.sha256Hex("wechat-browser"))
			.param("e", soon)
			.update();
		jdbc.sql("""
				INSERT INTO oidc_upstream_pending_login (state, browser_binding, upstream_id, nonce, code_verifier, expires_at)
				VALUES ('OidcState-1_x', 'oidc-browser', 'corp', 'n0nce', 'verifier-123', :e)""")
			.param("e", soon)
			.update();

		try (ConfigurableApplicationContext gateway = gateway(url)) {
			JdbcClient migrated = gateway.getBean(JdbcClient.class);
			assertThat(migrated.sql("SELECT COUNT(*) FROM login_pending_login").query(Integer.class).single())
				.isEqualTo(2);
			assertThat(migrated.sql("""
					SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES
					WHERE LOWER(TABLE_NAME) IN ('wechat_login_state', 'oidc_upstream_pending_login')""")
				.query(Integer.class)
				.single()).isZero();
			PendingLogins pending = gateway.getBean(PendingLogins.class);

			// another browser burns it; the WeChat one is then gone, as before
			assertThat(pending.take("WxState1", "wechat", browser("tongxing.wechat.binding", "someone-else")))
				.isEmpty();
			assertThat(pending.take("WxState1", "wechat", browser("tongxing.wechat.binding", "wechat-browser")))
				.isEmpty();

			// the browser that began it finishes it, once, with what its connector kept
			assertThat(pending.take("OidcState-1_x", "oidc:corp",
					browser("dev.tongxing.server.connector.oidc.BrowserBinding", "oidc-browser")))
				.hasValueSatisfying(login -> {
					assertThat(login.app()).isEqualTo("corp");
					assertThat(login.attributes()).containsEntry("nonce", "n0nce")
						.containsEntry("code_verifier", "verifier-123");
				});
			assertThat(pending.take("OidcState-1_x", "oidc:corp",
					browser("dev.tongxing.server.connector.oidc.BrowserBinding", "oidc-browser")))
				.isEmpty();
		}
	}

	@Test
	void aCarriedOverWechatLoginKeepsItsScopeAndPurpose() {
		String url = "jdbc:h2:file:" + this.dir.resolve("db2").toAbsolutePath();
		previousRelease(url)
			.sql("""
					INSERT INTO wechat_login_state (state, binding_hash, appid, scope, purpose, expires_at)
					VALUES ('WxState2', :b, 'wx0000000000000003', 'snsapi_base', 'login', :e)""")
			.param("b", Digests.sha256Hex("wechat-browser"))
			.param("e", OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(5))
			.update();
		try (ConfigurableApplicationContext gateway = gateway(url)) {
			assertThat(gateway.getBean(PendingLogins.class)
				.take("WxState2", "wechat", browser("tongxing.wechat.binding", "wechat-browser")))
				.hasValueSatisfying(login -> {
					assertThat(login.app()).isEqualTo("wx0000000000000003");
					assertThat(login.attributes()).containsEntry("scope", "snsapi_base").containsEntry("purpose", "login");
				});
		}
	}

	/** The schema of the previous release (through V96), built by the gateway itself (its Java migrations too). */
	private static JdbcClient previousRelease(String url) {
		gateway(url, "--spring.flyway.target=96").close();
		return JdbcClient.create(new DriverManagerDataSource(url, "sa", ""));
	}

	private static ConfigurableApplicationContext gateway(String url, String... more) {
		java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("--spring.datasource.url=" + url,
				"--tongxing.keys.master-key=dGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzLWxvbmchISE=",
				"--spring.main.banner-mode=off", "--logging.level.root=WARN"));
		args.addAll(java.util.List.of(more));
		return new SpringApplicationBuilder(TongxingApplication.class).web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.run(args.toArray(String[]::new));
	}

	private static MockHttpServletRequest browser(String attribute, String binding) {
		MockHttpServletRequest request = new MockHttpServletRequest();
		MockHttpSession session = new MockHttpSession();
		session.setAttribute(attribute, binding);
		request.setSession(session);
		return request;
	}

}
