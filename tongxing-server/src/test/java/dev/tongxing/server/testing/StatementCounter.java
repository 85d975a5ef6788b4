package dev.tongxing.server.testing;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Counts the SQL statements and commits the gateway makes, by the kind of thread that makes them (a request
 * thread, or the audit log's appender), so a test can state what one grant costs the database. Statements
 * run with auto-commit count as commits of their own.
 */
public final class StatementCounter implements BeanPostProcessor {

	public record Counts(long statements, long commits) {
	}

	private final Map<String, AtomicLong> statements = new ConcurrentHashMap<>();

	private final Map<String, AtomicLong> commits = new ConcurrentHashMap<>();

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof DataSource dataSource && !(bean instanceof Proxy)) {
			return proxy(DataSource.class, dataSource, (target, method, args) -> {
				Object result = invoke(target, method, args);
				return result instanceof Connection c ? connection(c) : result;
			});
		}
		return bean;
	}

	/** Counts since the last reset, for one kind of thread: {@code "request"} or {@code "audit-appender"}. */
	public Counts counts(String kind) {
		return new Counts(value(this.statements, kind), value(this.commits, kind));
	}

	public void reset() {
		this.statements.clear();
		this.commits.clear();
	}

	private static long value(Map<String, AtomicLong> map, String kind) {
		AtomicLong v = map.get(kind);
		return v == null ? 0 : v.get();
	}

	private static String kind() {
		String name = Thread.currentThread().getName();
		if (name.startsWith("audit-appender")) {
			return "audit-appender";
		}
		// Tomcat's request threads (platform: http-nio-*-exec-*, virtual: unnamed or tomcat-handler-*)
		return name.startsWith("http-nio") || name.startsWith("tomcat-handler") || name.isEmpty() ? "request" : name;
	}

	private Connection connection(Connection connection) {
		return proxy(Connection.class, connection, (target, method, args) -> {
			if (method.getName().equals("commit")) {
				this.commits.computeIfAbsent(kind(), k -> new AtomicLong()).incrementAndGet();
			}
			Object result = invoke(target, method, args);
			if (result instanceof Statement s) {
				return statement(connection, s);
			}
			return result;
		});
	}

	@SuppressWarnings("unchecked")
	private <S extends Statement> S statement(Connection connection, S statement) {
		Class<?> type = statement instanceof java.sql.CallableStatement ? java.sql.CallableStatement.class
				: statement instanceof java.sql.PreparedStatement ? java.sql.PreparedStatement.class : Statement.class;
		return (S) proxy(type, statement, (target, method, args) -> {
			if (method.getName().startsWith("execute")) {
				String kind = kind();
				this.statements.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
				if (connection.getAutoCommit()) {
					this.commits.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
				}
			}
			return invoke(target, method, args);
		});
	}

	@SuppressWarnings("unchecked")
	private static <T> T proxy(Class<?> type, Object target, Handler handler) {
		return (T) Proxy.newProxyInstance(StatementCounter.class.getClassLoader(), new Class<?>[] { type },
				(InvocationHandler) (p, method, args) -> handler.handle(target, method, args));
	}

	private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getCause();
		}
	}

	@FunctionalInterface
	private interface Handler {

		Object handle(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable;

	}

}
