package dev.tongxing.server.testing;

import java.util.HashMap;
import java.util.Map;

/**
 * Two gateway nodes on one real PostgreSQL schema, behind one public issuer as behind a load balancer:
 * the set-up of every test that proves nodes share all their state.
 */
public final class TwoNodes implements AutoCloseable {

	private final Postgres postgres;

	private final GatewayNode a;

	private final GatewayNode b;

	private TwoNodes(Postgres postgres, GatewayNode a, GatewayNode b) {
		this.postgres = postgres;
		this.a = a;
		this.b = b;
	}

	public static TwoNodes start() {
		return start(Map.of());
	}

	/** @param extra more properties for both nodes */
	public static TwoNodes start(Map<String, Object> extra) {
		return start(extra, new Class<?>[0]);
	}

	/** @param beans configuration classes with beans the test adds to both nodes */
	public static TwoNodes start(Map<String, Object> extra, Class<?>... beans) {
		Postgres postgres = new Postgres();
		Map<String, Object> properties = new HashMap<>(postgres.properties());
		properties.putAll(extra);
		int portA = FreePort.find();
		String issuer = "http://127.0.0.1:" + portA;
		GatewayNode a = GatewayNode.start(issuer, portA, properties, beans);
		GatewayNode b = GatewayNode.start(issuer, FreePort.find(), properties, beans);
		return new TwoNodes(postgres, a, b);
	}

	public GatewayNode a() {
		return this.a;
	}

	public GatewayNode b() {
		return this.b;
	}

	public Postgres postgres() {
		return this.postgres;
	}

	@Override
	public void close() throws Exception {
		try {
			this.b.close();
			this.a.close();
		}
		finally {
			this.postgres.close();
		}
	}

}
