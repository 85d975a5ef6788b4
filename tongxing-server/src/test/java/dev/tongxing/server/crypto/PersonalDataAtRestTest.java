package dev.tongxing.server.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.crypto.PersonalDataScenario.Person;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.MutableClock;
import dev.tongxing.wechat.emulator.WechatEmulator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

/**
 * The check, on H2: after real logins (mini program with a phone code, phone + SMS code, website QR),
 * no table and no log line holds the phone number, the openids, the UnionID, the nickname or the avatar in clear,
 * while tokens and userinfo still carry them.
 */
@ExtendWith(OutputCaptureExtension.class)
class PersonalDataAtRestTest extends GatewayTest {

	@Autowired
	WechatEmulator emulator;

	@Autowired
	DataSource dataSource;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MutableClock clock;

	@Autowired
	@SuppressWarnings("rawtypes")
	SessionRepository sessions;

	@BeforeEach
	void freshSendLimits() {
		this.clock.reset();
		this.jdbc.sql("DELETE FROM phone_code").update();
		this.jdbc.sql("DELETE FROM phone_send_gate").update();
	}

	@Test
	void noPersonalDataInClearInAnyTableOrLog(CapturedOutput output) throws Exception {
		PersonalDataScenario scenario = new PersonalDataScenario(this.issuer, this.emulator);
		Person person = scenario.newPerson();
		scenario.signInEveryWay(person);

		assertThat(PersonalDataScenario.scanDatabase(this.dataSource, person.secrets())).isEmpty();
		assertThat(PersonalDataScenario.scanText("log", output.getAll(), person.secrets())).isEmpty();
		// the scan can fail: it finds what is legitimately stored in clear (an appid, the sign-in method)
		assertThat(PersonalDataScenario.scanDatabase(this.dataSource,
				Map.of("appid", dev.tongxing.wechat.emulator.DefaultFixture.WEBSITE_APPID, "method", "wechat-union")))
			.extracting(PersonalDataScenario.Finding::where)
			.map(String::toLowerCase)
			.contains("wechat_app.appid", "account_identity.provider");
		// the scan can fail: the same search finds the values where they legitimately are in clear
		assertThat(PersonalDataScenario.scanText("dev SMS page",
				new dev.tongxing.server.testing.TestBrowser(this.issuer).get("/login/phone/dev-sms").body(),
				person.secrets())).extracting(PersonalDataScenario.Finding::what).contains("phone (E.164)");
	}

	@Test
	@SuppressWarnings("unchecked")
	void sessionAttributesAreSealed() {
		ExternalIdentity pending = new ExternalIdentity("phone", "+8613912345678", "会话里的昵称");
		Session session = this.sessions.createSession();
		session.setAttribute("tongxing.login.pending", pending);
		this.sessions.save(session);

		List<byte[]> stored = this.jdbc
			.sql("SELECT attribute_bytes FROM spring_session_attributes WHERE attribute_name = 'tongxing.login.pending'")
			.query(byte[].class)
			.list();
		assertThat(stored).isNotEmpty();
		for (byte[] bytes : stored) {
			String raw = new String(bytes, StandardCharsets.ISO_8859_1);
			assertThat(raw).startsWith("eyJ").doesNotContain("13912345678");
			assertThat(new String(bytes, StandardCharsets.UTF_8)).doesNotContain("会话里的昵称");
		}
		Session read = (Session) this.sessions.findById(session.getId());
		assertThat((Object) read.getAttribute("tongxing.login.pending")).isEqualTo(pending);

		// sealed under a data key that has since been removed: the attribute is gone (signed out), no error page
		JoseDataCipher gone = JoseDataCipherTest.cipher(JoseDataCipherTest.pii(Map.of("gone", JoseDataCipherTest.KEY_B), "gone"));
		byte[] underGoneKey = gone
			.sealBytes(new org.springframework.core.serializer.support.SerializingConverter().convert(pending))
			.getBytes(StandardCharsets.US_ASCII);
		this.jdbc.sql("UPDATE spring_session_attributes SET attribute_bytes = :b WHERE attribute_name = 'tongxing.login.pending'")
			.param("b", underGoneKey)
			.update();
		Session unreadable = (Session) this.sessions.findById(session.getId());
		assertThat(unreadable).isNotNull();
		assertThat((Object) unreadable.getAttribute("tongxing.login.pending")).isNull();
		this.sessions.deleteById(session.getId());
	}

	@Autowired
	dev.tongxing.server.account.AccountService accounts;

	@Test
	void accountRowsHoldHashesAndSealedValues() {
		String user = this.accounts.signIn(new ExternalIdentity("phone", "+8613900001111", "某人")).id();
		assertThat(this.accounts.find(user).orElseThrow().displayName()).isEqualTo("某人");
		assertThat(this.accounts.claims(user, java.util.Set.of("phone"))).containsEntry("phone_number", "+8613900001111");
		Map<String, Object> row = this.jdbc
			.sql("SELECT provider_key_hash, provider_key_sealed FROM account_identity WHERE user_id = :u").param("u", user)
			.query()
			.singleRow();
		assertThat((String) row.values().toArray()[0]).matches("[0-9a-f]{64}");
		assertThat(JoseDataCipher.isSealed((String) row.values().toArray()[1])).isTrue();
	}

}
