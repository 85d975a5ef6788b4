package dev.tongxing.server.residency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tongxing.server.TongxingApplication;
import dev.tongxing.server.testing.FreePort;
import dev.tongxing.server.testing.GatewayTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Personal data stays in the allowed regions: the gateway will not start otherwise, nor send it out. */
class ResidencyGuardTest extends GatewayTest {

	@Autowired
	ResidencyGuard guard;

	@Autowired
	JdbcClient jdbc;

	@Test
	void refusesToStartWithAPersonalDataStoreOutsideTheAllowedRegions() {
		int port = FreePort.find();
		assertThatThrownBy(() -> new SpringApplicationBuilder(TongxingApplication.class).profiles("dev", "test")
			.run("--server.port=" + port, "--tongxing.issuer=http://127.0.0.1:" + port,
					"--tongxing.residency.stores.database=us", "--logging.level.root=OFF")
			.close())
			.satisfies(ex -> assertThat(org.springframework.core.NestedExceptionUtils.getMostSpecificCause(ex).getMessage())
				.contains("'database' is in region 'us'")
				.contains("tongxing.residency.allowed-regions"));
	}

	@Test
	void theGatewaysOwnStoresAreInChinaByDefault() {
		assertThat(this.guard.stores()).containsEntry("database", "cn").containsEntry("sms", "cn");
	}

	@Test
	void aDeliveryOutOfTheAllowedRegionsIsRefusedAndAudited() {
		assertThat(this.guard.mayDeliver("partner-events", "cn", "u1")).isTrue();
		assertThat(this.guard.mayDeliver("overseas-analytics", "us", "u1")).isFalse();
		assertThat(this.guard.mayDeliver("undeclared", null, "u1")).isFalse();
		assertThat(this.jdbc.sql("SELECT details FROM audit_entry WHERE type = 'residency.delivery-refused'")
			.query(String.class)
			.list()).anySatisfy(d -> assertThat(d).contains("overseas-analytics").contains("us"))
			.anySatisfy(d -> assertThat(d).contains("unknown"));
	}

}
