package dev.tongxing.server.transfer;

import java.util.Set;

/**
 * The identity namespaces ({@code IdentityKey.provider}) the sign-in connectors create, spelled here because
 * nothing outside the connectors may depend on one (ArchitectureTest); TransferNamespacesTest holds them equal.
 */
final class Namespaces {

	/** A WeChat open-platform UnionID: the strongest key, the same for every app of one open platform. */
	static final String WECHAT_UNION = "wechat-union";

	/** {@code appid:openid}: one person at one WeChat app. */
	static final String WECHAT_OPEN = "wechat-open";

	/** A verified phone number, E.164. */
	static final String PHONE = "phone";

	/** The namespaces with fields of their own in the record. */
	static final Set<String> OWN_FIELDS = Set.of(WECHAT_UNION, WECHAT_OPEN, PHONE);

	private Namespaces() {
	}

}
