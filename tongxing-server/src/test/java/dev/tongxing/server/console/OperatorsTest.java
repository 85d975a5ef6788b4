package dev.tongxing.server.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.account.ExternalIdentity.Profile;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.testing.GatewayTest;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Operator roles: granted (kept in the database, audited) and configured (by phone number, through the lookup hash). */
class OperatorsTest extends GatewayTest {

	@Autowired
	Operators operators;

	@Autowired
	AccountService accounts;

	@Autowired
	AuditLog audit;

	@Autowired
	JdbcClient jdbc;

	static String phone() {
		return "+86139" + String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000));
	}

	String personWithPhone(String phone) {
		return this.accounts.signIn(new ExternalIdentity("phone", List.of(new IdentityKey("phone", phone)),
				new Profile(null, null, phone))).id();
	}

	@Test
	void grantedRolesAreKeptAndAuditedAndNoneTakesThemAway() {
		String phone = phone();
		String account = personWithPhone(phone);
		assertThat(this.operators.roles(account)).isEmpty();
		assertThat(this.operators.resolve(phone)).contains(account);
		assertThat(this.operators.resolve(account)).contains(account);

		this.operators.grant(account, EnumSet.of(OperatorRole.SUPPORT, OperatorRole.VIEWER), "cli:test");
		assertThat(this.operators.roles(account)).containsExactlyInAnyOrder(OperatorRole.SUPPORT, OperatorRole.VIEWER);
		assertThat(this.operators.list()).anySatisfy(o -> {
			assertThat(o.accountId()).isEqualTo(account);
			assertThat(o.grantedBy()).isEqualTo("cli:test");
		});
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE type = :t AND subject = :s")
			.param("t", Operators.OPERATOR_ROLES_CHANGED)
			.param("s", account)
			.query(Long.class)
			.single()).isEqualTo(1);

		this.operators.grant(account, EnumSet.noneOf(OperatorRole.class), "cli:test");
		assertThat(this.operators.roles(account)).isEmpty();
	}

	@Test
	void configuredPhoneNumbersHoldTheirRolesOnceTheirAccountExists() {
		String phone = phone();
		Operators configured = new Operators(this.jdbc, this.accounts, this.audit, new OperatorProperties(
				List.of(new OperatorProperties.ConfiguredOperator(phone, List.of("admin")))));
		String someoneElse = personWithPhone(phone());
		assertThat(configured.roles(someoneElse)).isEmpty();
		String first = personWithPhone(phone);
		assertThat(configured.roles(first)).containsExactly(OperatorRole.ADMIN);
		// nothing was stored: configuration gives the roles at each check
		assertThat(configured.granted(first)).isEmpty();
	}

	@Test
	void unknownAccountsAndRolesAreRefused() {
		assertThat(this.operators.resolve("+8613000000000")).isEmpty();
		assertThat(this.operators.resolve("no-such-account")).isEmpty();
		assertThatThrownBy(() -> this.operators.grant("no-such-account", Set.of(OperatorRole.ADMIN), "cli:test"))
			.isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> OperatorRole.parseAll("viewer,root")).hasMessageContaining("root");
		assertThatThrownBy(() -> new OperatorProperties(
				List.of(new OperatorProperties.ConfiguredOperator("13800138000", List.of("admin")))))
			.hasMessageContaining("E.164");
	}

	@Autowired
	java.util.List<dev.tongxing.server.kernel.ErasureParticipant> erasure;

	@Autowired
	OperatorSecondFactor secondFactor;

	@Test
	void aDeletedAccountIsNoLongerAnOperator() {
		String account = personWithPhone(phone());
		this.operators.grant(account, EnumSet.of(OperatorRole.ADMIN), "cli:test");
		this.secondFactor.enrol(account, "op");
		this.erasure.stream().filter(p -> p.name().equals("operator")).forEach(p -> p.erase(account));
		assertThat(this.operators.roles(account)).isEmpty();
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM console_operator_totp WHERE account_id = :id")
			.param("id", account)
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void rolesIncludeTheLesserOnes() {
		assertThat(OperatorRole.VIEWER.grantedBy(Set.of(OperatorRole.ADMIN))).isTrue();
		assertThat(OperatorRole.SUPPORT.grantedBy(Set.of(OperatorRole.VIEWER))).isFalse();
		assertThat(OperatorRole.ADMIN.grantedBy(Set.of(OperatorRole.SUPPORT))).isFalse();
	}

}
