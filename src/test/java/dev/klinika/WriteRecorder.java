package dev.klinika;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * Tells which writes (insert, update, delete) the current thread sent to the database
 * while recording: a request that must change nothing (MockMvc runs it on the test's own
 * thread) shows that it did not, whatever the background jobs do meanwhile. The audit log
 * and the session tables are left out: looking is recorded, and that is no change.
 */
@Component
public class WriteRecorder implements BeanPostProcessor {

	private static final ThreadLocal<List<String>> WRITES = new ThreadLocal<>();

	private static final Pattern WRITE = Pattern.compile("(?s)^\\s*(with\\b.*\\b)?(insert|update|delete|merge)\\b.*");

	private static final Pattern IGNORED = Pattern.compile("(?s).*\\b(audit_log|spring_session\\w*)\\b.*");

	/** Runs the work and answers the writes it made on this thread. */
	public List<String> writesOf(ThrowingRunnable work) throws Exception {
		WRITES.set(new ArrayList<>());
		try {
			work.run();
			return List.copyOf(WRITES.get());
		}
		finally {
			WRITES.remove();
		}
	}

	/** Work that may throw. */
	public interface ThrowingRunnable {

		void run() throws Exception;

	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof DataSource dataSource && !(Proxy.isProxyClass(bean.getClass()))) {
			// AutoCloseable too, so that the context still closes the pool (and so stops
			// the
			// embedded server) when it shuts down.
			InvocationHandler pool = (proxy, method, args) -> {
				Object result = invoke(dataSource, method, args);
				return result instanceof Connection connection
						? proxy(Connection.class, connection, WriteRecorder::statement) : result;
			};
			return Proxy.newProxyInstance(DataSource.class.getClassLoader(),
					new Class<?>[] { DataSource.class, AutoCloseable.class }, pool);
		}
		return bean;
	}

	private static Object statement(Object target, Method method, Object[] args) throws Throwable {
		if (args != null && args.length > 0 && args[0] instanceof String sql
				&& (method.getName().startsWith("prepare") || method.getName().startsWith("execute"))) {
			note(sql);
		}
		Object result = invoke(target, method, args);
		if (result instanceof java.sql.Statement statement && !(result instanceof java.sql.PreparedStatement)) {
			return proxy(java.sql.Statement.class, statement, WriteRecorder::statement);
		}
		return result;
	}

	private static void note(String sql) {
		List<String> writes = WRITES.get();
		String text = sql.toLowerCase(Locale.ROOT);
		if (writes != null && WRITE.matcher(text).matches() && !IGNORED.matcher(text).matches()) {
			writes.add(sql.strip());
		}
	}

	private interface Handler {

		Object handle(Object target, Method method, Object[] args) throws Throwable;

	}

	@SuppressWarnings("unchecked")
	private static <T> T proxy(Class<T> type, T target, Handler handler) {
		InvocationHandler invocation = (proxy, method, args) -> handler.handle(target, method, args);
		return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, invocation);
	}

	private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getCause();
		}
	}

}
