package dev.tongxing.server.connector.wechat;

import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Who WeChat says a person is, for one app. Keyed on the UnionID when the app has one, and always on the
 * app's (appid, openid); the nickname is display data only (nicknames collide).
 */
public record WechatIdentity(String appid, String openid, String unionid, String nickname, String avatarUrl,
		boolean snapshotUser) {

	public static final String UNION = "wechat-union";

	public static final String OPEN = "wechat-open";

	public ExternalIdentity toExternalIdentity() {
		List<IdentityKey> keys = new ArrayList<>();
		if (this.unionid != null) {
			keys.add(new IdentityKey(UNION, this.unionid));
		}
		keys.add(openKey());
		return new ExternalIdentity("wechat", keys, new ExternalIdentity.Profile(this.nickname, this.avatarUrl, null));
	}

	public IdentityKey openKey() {
		return new IdentityKey(OPEN, this.appid + ":" + this.openid);
	}

}
