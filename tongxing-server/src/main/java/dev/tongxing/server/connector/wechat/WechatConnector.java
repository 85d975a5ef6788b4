package dev.tongxing.server.connector.wechat;

import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.connector.UpstreamLogin;
import java.util.Set;

/**
 * The WeChat upstream: turns a code from any of the four flows into a {@link WechatIdentity}, sending each
 * code to WeChat at most once. Safe-to-repeat calls (userinfo, app tokens) are retried by the API client; the
 * code exchange never is.
 */
public class WechatConnector implements UpstreamLogin<WechatConnector.Proof> {

	/** A code WeChat gave a person for one of our apps (any of the four flows). */
	public record Proof(WechatApp app, String code) {
	}

	/** WeChat's answers meaning "your app token is invalid or superseded": refetch once. */
	private static final Set<Integer> STALE_APP_TOKEN = Set.of(40001, 40014, 42001);

	private final WechatApps apps;

	private final WechatApiClient api;

	private final CodeExchangeLedger ledger;

	private final AppTokenCache appTokens;

	WechatConnector(WechatApps apps, WechatApiClient api, CodeExchangeLedger ledger, AppTokenCache appTokens) {
		this.apps = apps;
		this.api = api;
		this.ledger = ledger;
		this.appTokens = appTokens;
	}

	public WechatApps apps() {
		return this.apps;
	}

	public WechatApiClient api() {
		return this.api;
	}

	@Override
	public String method() {
		return "wechat";
	}

	/**
	 * @throws SnapshotUserException for an official-account snapshot-page user, whose ids are virtual and must
	 * never become an account
	 */
	@Override
	public ExternalIdentity identify(Proof proof) {
		WechatIdentity identity = identify(proof.app(), proof.code());
		if (identity.snapshotUser()) {
			throw new SnapshotUserException();
		}
		return identity.toExternalIdentity();
	}

	WechatIdentity identify(WechatApp app, String code) {
		return this.ledger.exchangeOnce(app.appid(), code, () -> app.kind() == WechatAppKind.MINI_PROGRAM
				? fromMiniProgram(app, code) : fromOAuthCode(app, code));
	}

	private WechatIdentity fromMiniProgram(WechatApp app, String jsCode) {
		WechatApiClient.MiniProgramSession session = this.api.jscode2session(app, jsCode);
		// mini programs get no real profile from any API (2022); the session key never leaves this method
		return new WechatIdentity(app.appid(), session.openid(), session.unionid(), null, null, false);
	}

	private WechatIdentity fromOAuthCode(WechatApp app, String code) {
		WechatApiClient.UserToken token = this.api.exchangeCode(app, code);
		if (token.snapshotUser()) {
			// virtual ids of a snapshot-page user: never stored or linked
			return new WechatIdentity(app.appid(), token.openid(), null, null, null, true);
		}
		if (!token.canReadProfile()) {
			return new WechatIdentity(app.appid(), token.openid(), token.unionid(), null, null, false);
		}
		WechatApiClient.UserInfo info = userInfo(app, token);
		String unionid = token.unionid() != null ? token.unionid() : info == null ? null : info.unionid();
		return new WechatIdentity(app.appid(), token.openid(), unionid, info == null ? null : info.nickname(),
				info == null ? null : info.avatarUrl(), false);
	}

	/**
	 * The profile is safe to ask for again (unlike the code exchange), so the client retries transient faults
	 * with jittered backoff; and it is a nicety: if WeChat cannot give it even then, the login goes ahead
	 * without it.
	 */
	private WechatApiClient.UserInfo userInfo(WechatApp app, WechatApiClient.UserToken token) {
		try {
			return this.api.userInfo(app.appid(), token.accessToken(), token.openid());
		}
		catch (WechatException ex) {
			return null;
		}
	}

	/**
	 * A cheap, harmless call to see that WeChat answers for this app: {@code stable_token} in normal mode
	 * hands back the current app token without invalidating anything.
	 * @throws WechatException when it does not answer usefully
	 */
	public void probe(WechatApp app) {
		try {
			this.api.stableToken(app, WechatQuota.Priority.OPTIONAL);
		}
		catch (WechatQuota.QuotaRefusal refusal) {
			if (!refusal.shed()) {
				throw refusal;
			}
			// the budget is busy with logins: WeChat is answering them, and the probe gives way
		}
	}

	/**
	 * An official account's temporary QR code whose scan pushes a {@code subscribe} or {@code SCAN} event carrying
	 * {@code scene}. Safe to repeat (another code at worst), so a superseded app token is refetched once.
	 */
	public WechatApiClient.QrCode qrCode(WechatApp app, String scene, long expireSeconds) {
		try {
			return this.api.qrCode(app.appid(), this.appTokens.token(app), scene, expireSeconds);
		}
		catch (WechatApiException ex) {
			if (!STALE_APP_TOKEN.contains(ex.errcode())) {
				throw ex;
			}
			this.appTokens.evict(app);
			return this.api.qrCode(app.appid(), this.appTokens.token(app), scene, expireSeconds);
		}
	}

	/** What an official account knows of a follower ({@code cgi-bin/user/info}): the UnionID where it is bound. */
	public WechatApiClient.Follower follower(WechatApp app, String openid) {
		try {
			return this.api.follower(app.appid(), this.appTokens.token(app), openid);
		}
		catch (WechatApiException ex) {
			if (!STALE_APP_TOKEN.contains(ex.errcode())) {
				throw ex;
			}
			this.appTokens.evict(app);
			return this.api.follower(app.appid(), this.appTokens.token(app), openid);
		}
	}

	/** The phone number behind a mini program's {@code getPhoneNumber} code, in E.164. */
	public String miniProgramPhone(WechatApp app, String phoneCode) {
		try {
			// a phone code, like a login code, is used once: never retried blindly
			return this.api.phoneNumber(app.appid(), this.appTokens.token(app), phoneCode).e164();
		}
		catch (WechatApiException ex) {
			if (!STALE_APP_TOKEN.contains(ex.errcode())) {
				throw ex;
			}
			this.appTokens.evict(app);
			return this.api.phoneNumber(app.appid(), this.appTokens.token(app), phoneCode).e164();
		}
	}

}
