package dev.tongxing.server.analytics;

import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** For tests of other packages: the analytics' flush, and the roll-ups emptied of other tests' logins. */
public final class Rollups {

	private Rollups() {
	}

	/** Adds this node's counts to the roll-ups now, as the scheduled flush does. */
	public static void flush(ApplicationContext context) {
		context.getBean(RollupStore.class).flush();
	}

	/** Flushes, then deletes every roll-up row: the counts start from nothing. */
	public static void flushAndEmpty(ApplicationContext context) {
		flush(context);
		JdbcClient jdbc = context.getBean(JdbcClient.class);
		LoginAnalyticsGatewayTest.TABLES.forEach(t -> jdbc.sql("DELETE FROM " + t).update());
	}

}
