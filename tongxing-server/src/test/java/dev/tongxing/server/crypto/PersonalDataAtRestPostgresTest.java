package dev.tongxing.server.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.crypto.PersonalDataScenario.Person;
import dev.tongxing.server.testing.GatewayNode;
import dev.tongxing.server.testing.TwoNodes;
import dev.tongxing.wechat.emulator.DefaultFixture;
import dev.tongxing.wechat.emulator.WechatEmulator;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * {@link PersonalDataAtRestTest}'s check on PostgreSQL (column types differ: bytea, text; the result must not),
 * with two nodes: lookups by keyed hash and sealed values work across nodes sharing the master key.
 */
@ExtendWith(OutputCaptureExtension.class)
class PersonalDataAtRestPostgresTest {

	@Test
	void noPersonalDataInClearInAnyTableOrLogAndLookupsWorkOnEveryNode(CapturedOutput output) throws Exception {
		try (TwoNodes nodes = TwoNodes.start()) {
			GatewayNode node = nodes.a();
			PersonalDataScenario scenario = new PersonalDataScenario(node.url(), node.bean(WechatEmulator.class));
			Person person = scenario.newPerson();
			String sub = scenario.signInEveryWay(person);

			// the other node finds the same account by the keyed hashes, and opens what the first one sealed
			AccountService other = nodes.b().bean(AccountService.class);
			assertThat(other.userFor(new ExternalIdentity.IdentityKey("phone", person.e164()))).hasValue(sub);
			assertThat(other.userFor(new ExternalIdentity.IdentityKey("wechat-union", person.unionid()))).hasValue(sub);
			assertThat(other.claims(sub, Set.of("profile", "phone"))).containsEntry("phone_number", person.e164())
				.containsEntry("name", person.nickname())
				.containsEntry("picture", person.avatar());

			DataSource database = node.bean(DataSource.class);
			assertThat(PersonalDataScenario.scanDatabase(database, person.secrets())).isEmpty();
			assertThat(PersonalDataScenario.scanText("log", output.getAll(), person.secrets())).isEmpty();
			// the scan can fail: it finds what is legitimately stored in clear (an appid, the sign-in method)
			assertThat(PersonalDataScenario.scanDatabase(database,
					Map.of("appid", DefaultFixture.WEBSITE_APPID, "method", "wechat-union")))
				.extracting(PersonalDataScenario.Finding::where)
				.map(String::toLowerCase)
				.contains("wechat_app.appid", "account_identity.provider");
		}
	}

}
