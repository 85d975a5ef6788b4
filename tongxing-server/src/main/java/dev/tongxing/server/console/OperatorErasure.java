package dev.tongxing.server.console;

import dev.tongxing.server.kernel.ErasureParticipant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** A deleted account is no longer an operator: its roles and its second-factor secret go with it. */
@Component
class OperatorErasure implements ErasureParticipant {

	private final JdbcClient jdbc;

	OperatorErasure(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public String name() {
		return "operator";
	}

	@Override
	public void erase(String userId) {
		this.jdbc.sql("DELETE FROM console_operator_totp WHERE account_id = :id").param("id", userId).update();
		this.jdbc.sql("DELETE FROM console_operator WHERE account_id = :id").param("id", userId).update();
	}

}
