package dev.tongxing.server.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.connector.wechat.WechatIdentity;
import org.junit.jupiter.api.Test;

/** The transfer package spells the connectors' identity namespaces itself (it may not depend on one): the same. */
class TransferNamespacesTest {

	@Test
	void theNamespacesAreTheConnectors() {
		assertThat(Namespaces.WECHAT_UNION).isEqualTo(WechatIdentity.UNION);
		assertThat(Namespaces.WECHAT_OPEN).isEqualTo(WechatIdentity.OPEN);
		WechatIdentity identity = new WechatIdentity("wx0000000000000001", "o1", "u1", null, null, false);
		assertThat(identity.toExternalIdentity().keys()).extracting(k -> k.provider() + "=" + k.key())
			.containsExactly(Namespaces.WECHAT_UNION + "=u1", Namespaces.WECHAT_OPEN + "=wx0000000000000001:o1");
	}

}
