package dev.tongxing.server.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The typed status and change kinds keep the spellings earlier releases stored. */
class AccountSpellingsTest {

	@Test
	void statusesReadBackTheStoredSpellings() {
		assertThat(Arrays.stream(AccountStatus.values()).map(AccountStatus::code)).containsExactly("active", "merged",
				"erased");
		for (AccountStatus status : AccountStatus.values()) {
			assertThat(AccountStatus.of(status.code())).isSameAs(status);
		}
		assertThatIllegalArgumentException().isThrownBy(() -> AccountStatus.of("ACTIVE"));
		assertThatIllegalArgumentException().isThrownBy(() -> AccountStatus.of(null));
	}

	@Test
	void changeKindsKeepTheStoredSpellings() {
		assertThat(Arrays.stream(AccountChangeKind.values()).map(AccountChangeKind::code)).containsExactly("create",
				"link", "unlink", "merge-in", "merged-into", "erase");
	}

}
