package dev.tongxing.bench;

import dev.tongxing.server.TongxingApplication;
import dev.tongxing.wechat.emulator.DefaultFixture;
import dev.tongxing.wechat.emulator.WechatEmulator;
import dev.tongxing.wechat.emulator.WechatEmulatorOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The gateway under test, started in this JVM on a free loopback port with an in-memory H2 database (or a
 * fresh PostgreSQL schema, see {@link BenchDatabase}), the confidential clients of the workloads, and — when
 * a workload needs WeChat — the WeChat emulator in this JVM as its WeChat. Only {@code 127.0.0.1} is ever
 * bound or called.
 */
final class Gateway implements AutoCloseable {

	static final String CLIENT_ID = "bench";

	static final String CLIENT_SECRET = "bench-secret";

	static final String SCOPE = "api.read";

	/** {@code client_credentials} clients whose access tokens are signed ES256 / EdDSA. */
	static final String ES256_CLIENT_ID = "bench-es256";

	static final String EDDSA_CLIENT_ID = "bench-eddsa";

	/** A confidential web client: authorization code + PKCE, refresh tokens. */
	static final String WEB_CLIENT_ID = "bench-web";

	static final String WEB_CLIENT_SECRET = "bench-web-secret";

	/** A confidential mobile-app backend: WeChat token exchange, refresh tokens. */
	static final String APP_CLIENT_ID = "bench-app";

	static final String APP_CLIENT_SECRET = "bench-app-secret";

	static final String USER_SCOPE = "openid profile offline_access";

	/** What the gateway needs besides its production defaults, by the selected workloads. */
	record Needs(boolean es256, boolean eddsa, boolean users, boolean wechat) {
	}

	/**
	 * A fixed, public master key: the bench databases are throw-away (in memory, a dropped schema, or the
	 * seeded schema, which holds made-up people only).
	 */
	static final String MASTER_KEY = "ZGV2LW9ubHktbWFzdGVyLWtleS1kby1ub3QtdXNlISE=";

	private final ConfigurableApplicationContext context;

	private final int port;

	private final WechatEmulator emulator;

	private Gateway(ConfigurableApplicationContext context, int port, WechatEmulator emulator) {
		this.context = context;
		this.port = port;
		this.emulator = emulator;
	}

	static Gateway start(Map<String, String> extra, Needs needs, BenchDatabase database) {
		WechatEmulator emulator = needs.wechat() ? WechatEmulator.start(WechatEmulatorOptions.defaults().port(0)) : null;
		try {
			return start(extra, needs, database, emulator);
		}
		catch (RuntimeException ex) {
			if (emulator != null) {
				emulator.close();
			}
			throw ex;
		}
	}

	private static Gateway start(Map<String, String> extra, Needs needs, BenchDatabase database,
			WechatEmulator emulator) {
		IllegalStateException failure = null;
		for (int attempt = 0; attempt < 3; attempt++) {
			int port = freePort();
			try {
				// as command-line arguments: they override the gateway's application.yml (builder.properties()
				// would only add defaults, below application.yml)
				Map<String, Object> properties = properties(port);
				properties.putAll(database.properties());
				properties.putAll(clients(needs));
				if (emulator != null) {
					properties.putAll(wechat(emulator.baseUrl()));
				}
				properties.putAll(extra);
				String[] args = properties.entrySet()
					.stream()
					.map(e -> "--" + e.getKey() + "=" + e.getValue())
					.toArray(String[]::new);
				return new Gateway(new SpringApplicationBuilder(TongxingApplication.class).run(args), port, emulator);
			}
			catch (RuntimeException ex) {
				// most likely the port was taken between probing and binding; try another one
				failure = new IllegalStateException("The gateway did not start on port " + port, ex);
			}
		}
		throw failure;
	}

	/** The gateway's configuration: production defaults except issuer/port, master key and the bench client (the database: {@link BenchDatabase}). */
	static Map<String, Object> properties(int port) {
		Map<String, Object> p = new LinkedHashMap<>();
		p.put("server.address", "127.0.0.1");
		p.put("server.port", port);
		p.put("tongxing.issuer", "http://127.0.0.1:" + port);
		p.put("spring.session.jdbc.cleanup-cron", "-");
		p.put("tongxing.keys.master-key", MASTER_KEY);
		p.put("tongxing.keys.master-key-id", "bench");
		p.put("tongxing.clients[0].client-id", CLIENT_ID);
		p.put("tongxing.clients[0].client-secret", CLIENT_SECRET);
		p.put("tongxing.clients[0].scopes[0]", SCOPE);
		p.put("tongxing.clients[0].grant-types[0]", "client_credentials");
		unlimited(p, "tongxing.clients[0].");
		p.put("spring.main.banner-mode", "off");
		p.put("logging.level.root", "WARN");
		return p;
	}

	/** The workloads' clients beyond {@code bench}; each only when a selected workload needs it. */
	static Map<String, Object> clients(Needs needs) {
		Map<String, Object> p = new LinkedHashMap<>();
		int i = 1;
		for (String[] alg : new String[][] { { "es256", ES256_CLIENT_ID, "ES256" }, { "eddsa", EDDSA_CLIENT_ID, "EdDSA" } }) {
			if (alg[0].equals("es256") ? needs.es256() : needs.eddsa()) {
				String c = "tongxing.clients[" + i++ + "].";
				p.put(c + "client-id", alg[1]);
				p.put(c + "client-secret", CLIENT_SECRET);
				p.put(c + "scopes[0]", SCOPE);
				p.put(c + "grant-types[0]", "client_credentials");
				p.put(c + "access-token-signing-alg", alg[2]);
				unlimited(p, c);
			}
		}
		if (needs.users()) {
			String c = "tongxing.clients[" + i++ + "].";
			p.put(c + "client-id", WEB_CLIENT_ID);
			p.put(c + "client-secret", WEB_CLIENT_SECRET);
			p.put(c + "redirect-uris[0]", BenchSetup.CALLBACK);
			scopes(p, c);
			p.put(c + "grant-types[0]", "authorization_code");
			p.put(c + "grant-types[1]", "refresh_token");
			p.put(c + "first-party", true);
			unlimited(p, c);
		}
		if (needs.wechat()) {
			String c = "tongxing.clients[" + i++ + "].";
			p.put(c + "client-id", APP_CLIENT_ID);
			p.put(c + "client-secret", APP_CLIENT_SECRET);
			scopes(p, c);
			p.put(c + "grant-types[0]", "urn:ietf:params:oauth:grant-type:token-exchange");
			p.put(c + "grant-types[1]", "refresh_token");
			p.put(c + "first-party", true);
			unlimited(p, c);
		}
		return p;
	}

	/**
	 * The rate limiter stays on (its cost is part of the token path) with limits no run reaches: the bench
	 * measures the path, not the refusals of a tier.
	 */
	static void unlimited(Map<String, Object> p, String client) {
		p.put(client + "tier", "S");
		p.put(client + "rate-limit.token-requests-per-second", 1_000_000);
		p.put(client + "rate-limit.authorization-requests-per-second", 1_000_000);
		p.put(client + "rate-limit.introspection-requests-per-second", 1_000_000);
	}

	private static void scopes(Map<String, Object> p, String client) {
		String[] scopes = USER_SCOPE.split(" ");
		for (int s = 0; s < scopes.length; s++) {
			p.put(client + "scopes[" + s + "]", scopes[s]);
		}
	}

	/** WeChat is the emulator: its website app (browser logins) and mobile app (token exchange). */
	static Map<String, Object> wechat(String emulatorUrl) {
		Map<String, Object> p = new LinkedHashMap<>();
		p.put("tongxing.wechat.open-base-url", emulatorUrl);
		p.put("tongxing.wechat.api-base-url", emulatorUrl);
		p.put("tongxing.wechat.apps[0].appid", DefaultFixture.WEBSITE_APPID);
		p.put("tongxing.wechat.apps[0].secret", DefaultFixture.WEBSITE_SECRET);
		p.put("tongxing.wechat.apps[0].kind", "website");
		p.put("tongxing.wechat.apps[1].appid", DefaultFixture.MOBILE_APPID);
		p.put("tongxing.wechat.apps[1].secret", DefaultFixture.MOBILE_SECRET);
		p.put("tongxing.wechat.apps[1].kind", "mobile");
		return p;
	}

	/** A gateway running elsewhere (another process) on this port; closing it closes nothing. */
	static Gateway external(int port, WechatEmulator emulator) {
		return new Gateway(null, port, emulator);
	}

	WechatEmulator emulator() {
		return this.emulator;
	}

	int port() {
		return this.port;
	}

	String baseUrl() {
		return "http://127.0.0.1:" + this.port;
	}

	ConfigurableApplicationContext context() {
		return this.context;
	}

	@Override
	public void close() {
		if (this.context == null) {
			return;
		}
		try {
			this.context.close();
		}
		finally {
			if (this.emulator != null) {
				this.emulator.close();
			}
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
