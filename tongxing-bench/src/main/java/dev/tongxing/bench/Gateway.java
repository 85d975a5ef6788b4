package dev.tongxing.bench;

import dev.tongxing.server.TongxingApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The gateway under test, started in this JVM on a free loopback port with an in-memory H2 database and
 * one confidential {@code client_credentials} client. Only {@code 127.0.0.1} is ever bound or called.
 */
final class Gateway implements AutoCloseable {

	static final String CLIENT_ID = "bench";

	static final String CLIENT_SECRET = "bench-secret";

	static final String SCOPE = "api.read";

	/** A fixed, public master key: the bench database lives in memory and dies with the JVM. */
	private static final String MASTER_KEY = "ZGV2LW9ubHktbWFzdGVyLWtleS1kby1ub3QtdXNlISE=";

	private final ConfigurableApplicationContext context;

	private final int port;

	private Gateway(ConfigurableApplicationContext context, int port) {
		this.context = context;
		this.port = port;
	}

	static Gateway start() {
		return start(Map.of());
	}

	static Gateway start(Map<String, String> extra) {
		IllegalStateException failure = null;
		for (int attempt = 0; attempt < 3; attempt++) {
			int port = freePort();
			try {
				// as command-line arguments: they override the gateway's application.yml (builder.properties()
				// would only add defaults, below application.yml)
				Map<String, Object> properties = properties(port);
				properties.putAll(extra);
				String[] args = properties.entrySet()
					.stream()
					.map(e -> "--" + e.getKey() + "=" + e.getValue())
					.toArray(String[]::new);
				return new Gateway(new SpringApplicationBuilder(TongxingApplication.class).run(args), port);
			}
			catch (RuntimeException ex) {
				// most likely the port was taken between probing and binding; try another one
				failure = new IllegalStateException("The gateway did not start on port " + port, ex);
			}
		}
		throw failure;
	}

	/** The gateway's configuration: production defaults except database, issuer/port and the bench client. */
	static Map<String, Object> properties(int port) {
		Map<String, Object> p = new LinkedHashMap<>();
		p.put("server.address", "127.0.0.1");
		p.put("server.port", port);
		p.put("tongxing.issuer", "http://127.0.0.1:" + port);
		p.put("spring.datasource.url", "jdbc:h2:mem:bench-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		p.put("spring.session.jdbc.cleanup-cron", "-");
		p.put("tongxing.keys.master-key", MASTER_KEY);
		p.put("tongxing.keys.master-key-id", "bench");
		p.put("tongxing.clients[0].client-id", CLIENT_ID);
		p.put("tongxing.clients[0].client-secret", CLIENT_SECRET);
		p.put("tongxing.clients[0].scopes[0]", SCOPE);
		p.put("tongxing.clients[0].grant-types[0]", "client_credentials");
		p.put("spring.main.banner-mode", "off");
		p.put("logging.level.root", "WARN");
		return p;
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
		this.context.close();
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
