package dev.tongxing.server.connector.wechat;

import dev.tongxing.server.crypto.MasterKeyCipher;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The configured WeChat apps: imported into the database (secret encrypted) at start-up, then read
 * from there, so every node uses the same set and a secret never sits in a table in clear.
 */
public class WechatApps {

	private final JdbcClient jdbc;

	private final MasterKeyCipher cipher;

	private final Clock clock;

	private volatile Map<String, WechatApp> byAppid = Map.of();

	WechatApps(JdbcClient jdbc, MasterKeyCipher cipher, Clock clock) {
		this.jdbc = jdbc;
		this.cipher = cipher;
		this.clock = clock;
	}

	void importAll(List<WechatProperties.App> apps) {
		List<String> problems = new ArrayList<>();
		for (int i = 0; i < apps.size(); i++) {
			WechatProperties.App app = apps.get(i);
			if (app.appid() == null || !app.appid().matches("wx[0-9a-zA-Z]{16}")) {
				problems.add("tongxing.wechat.apps[" + i + "].appid must look like wx followed by 16 letters/digits");
			}
			if (app.secret() == null || app.secret().isBlank()) {
				problems.add("tongxing.wechat.apps[" + i + "].secret is missing");
			}
			if (app.kind() == null) {
				problems.add("tongxing.wechat.apps[" + i + "].kind must be website, mobile, official-account or mini-program");
			}
		}
		if (!problems.isEmpty()) {
			throw new IllegalStateException("Invalid WeChat configuration:\n  - " + String.join("\n  - ", problems));
		}
		for (WechatProperties.App app : apps) {
			String encrypted = this.cipher.encrypt(app.secret());
			int updated = this.jdbc.sql("UPDATE wechat_app SET kind = :k, secret_enc = :s, updated_at = :t WHERE appid = :a")
				.param("k", app.kind().name())
				.param("s", encrypted)
				.param("t", this.clock.instant().atOffset(ZoneOffset.UTC))
				.param("a", app.appid())
				.update();
			if (updated == 0) {
				this.jdbc.sql("INSERT INTO wechat_app (appid, kind, secret_enc, updated_at) VALUES (:a, :k, :s, :t)")
					.param("a", app.appid())
					.param("k", app.kind().name())
					.param("s", encrypted)
					.param("t", this.clock.instant().atOffset(ZoneOffset.UTC))
					.update();
			}
		}
		reload();
	}

	void reload() {
		Map<String, WechatApp> apps = new LinkedHashMap<>();
		this.jdbc.sql("SELECT appid, kind, secret_enc FROM wechat_app ORDER BY appid")
			.query((rs, i) -> new WechatApp(rs.getString(1), WechatAppKind.valueOf(rs.getString(2)),
					this.cipher.decrypt(rs.getString(3))))
			.list()
			.forEach(app -> apps.put(app.appid(), app));
		this.byAppid = java.util.Collections.unmodifiableMap(apps); // keeps appid order
	}

	public Optional<WechatApp> find(String appid) {
		return Optional.ofNullable(appid == null ? null : this.byAppid.get(appid));
	}

	/** Every configured app, in appid order. */
	public java.util.Collection<WechatApp> all() {
		return this.byAppid.values();
	}

	/** The first app of a kind, in appid order: the one the browser flows use. */
	public Optional<WechatApp> first(WechatAppKind kind) {
		return this.byAppid.values().stream().filter(a -> a.kind() == kind).findFirst();
	}

}
