package dev.tongxing.server.testing;

import dev.tongxing.server.TongxingApplication;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** A whole gateway started by a test, e.g. two of them on one database to prove nodes are stateless. */
public final class GatewayNode implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private final int port;

	private GatewayNode(ConfigurableApplicationContext context, int port) {
		this.context = context;
		this.port = port;
	}

	/**
	 * @param issuer the issuer all nodes share (a load balancer's name in production)
	 */
	public static GatewayNode start(String issuer, int port, Map<String, Object> properties) {
		return start(issuer, port, properties, new Class<?>[0]);
	}

	/** @param beans configuration classes with beans a test adds (e.g. a clock it holds still) */
	public static GatewayNode start(String issuer, int port, Map<String, Object> properties, Class<?>... beans) {
		Map<String, Object> all = new HashMap<>(properties);
		all.put("server.port", port);
		all.put("tongxing.issuer", issuer);
		// as command-line arguments: they must win over the profiles' files
		String[] args = all.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
		Class<?>[] sources = new Class<?>[beans.length + 1];
		sources[0] = TongxingApplication.class;
		System.arraycopy(beans, 0, sources, 1, beans.length);
		ConfigurableApplicationContext context = new SpringApplicationBuilder(sources)
			.profiles("dev", "test")
			.run(args);
		return new GatewayNode(context, port);
	}

	public String url() {
		return "http://127.0.0.1:" + this.port;
	}

	public <T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	@Override
	public void close() {
		this.context.close();
	}

}
