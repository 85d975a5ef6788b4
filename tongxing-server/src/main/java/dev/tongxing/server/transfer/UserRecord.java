package dev.tongxing.server.transfer;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One person as the JSON Lines transfer format carries them (README, "Moving in and out"): the public
 * contract of {@code import users} and {@code export users}.
 *
 * @param id the person's id in the system that wrote the file
 * @param name a display name (e.g. the WeChat nickname), or null
 * @param avatar an avatar URL, or null
 * @param wechat the person's WeChat identities
 * @param phones phone numbers, with whether the old system verified them
 * @param logins other ways to sign in, by this gateway's identity namespace (e.g. {@code oidc:corp})
 * @param createdAt when the person joined; null for "now"
 * @param lastLoginAt when they last signed in, or null
 * @param consent the consent evidence the old system kept, or null
 * @param subs the {@code sub} each client already knows the person by, by client id
 */
public record UserRecord(String id, String name, String avatar, List<Wechat> wechat, List<Phone> phones,
		List<Login> logins, Instant createdAt, Instant lastLoginAt, Consent consent, Map<String, String> subs) {

	public UserRecord {
		wechat = List.copyOf(wechat);
		phones = List.copyOf(phones);
		logins = List.copyOf(logins);
		subs = Map.copyOf(subs);
	}

	/** An identity at one WeChat app (appid and openid), with its UnionID when the app has one; or a UnionID alone. */
	public record Wechat(String appid, String openid, String unionid) {
	}

	public record Phone(String number, boolean verified) {
	}

	/** A sign-in key of another namespace, as {@code export users} writes it, so that nothing is left behind. */
	public record Login(String provider, String key) {
	}

	/** @param policyVersion the version of the old system's policy the person accepted */
	public record Consent(String policyVersion, Instant at) {
	}

	/** Never the values: they are personal data. */
	@Override
	public String toString() {
		return "UserRecord[wechat " + this.wechat.size() + ", phones " + this.phones.size() + ", subs "
				+ this.subs.size() + "]";
	}

}
