package dev.klinika;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * PostgreSQL LISTEN/NOTIFY for the whole node on one pooled connection: modules register
 * a handler for a channel, and every NOTIFY committed by any node on that channel reaches
 * it within a moment. A lost connection is opened again after 5 s; handlers should treat
 * a notification as "look again", not as the change itself.
 */
@Component
public class DatabaseNotifications implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(DatabaseNotifications.class);

	private final DataSource dataSource;

	private final Map<String, Consumer<String>> handlers = new ConcurrentHashMap<>();

	private volatile boolean running;

	private volatile Thread listener;

	DatabaseNotifications(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	/**
	 * Calls the handler with each payload sent on the channel (a lower-case identifier).
	 */
	public void listen(String channel, Consumer<String> handler) {
		if (!channel.matches("[a-z_]{1,60}")) {
			throw new IllegalArgumentException("Not a channel name: " + channel);
		}
		this.handlers.put(channel, handler);
	}

	@Override
	public void start() {
		this.running = true;
		Thread thread = new Thread(this::loop, "database-notifications");
		thread.setDaemon(true);
		thread.start();
		this.listener = thread;
	}

	@Override
	public void stop() {
		this.running = false;
		Thread thread = this.listener;
		if (thread != null) {
			thread.interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private void loop() {
		while (this.running) {
			try (Connection connection = this.dataSource.getConnection()) {
				try (Statement statement = connection.createStatement()) {
					for (String channel : this.handlers.keySet()) {
						statement.execute("LISTEN " + channel);
					}
				}
				if (!connection.getAutoCommit()) {
					connection.commit();
				}
				PGConnection pg = connection.unwrap(PGConnection.class);
				while (this.running) {
					PGNotification[] notifications = pg.getNotifications(5_000);
					if (notifications != null) {
						for (PGNotification notification : notifications) {
							dispatch(notification);
						}
					}
				}
			}
			catch (SQLException ex) {
				if (this.running) {
					log.warn("Listening for database notifications failed, trying again in 5 s: {}", ex.getMessage());
					pause();
				}
			}
		}
	}

	private void dispatch(PGNotification notification) {
		Consumer<String> handler = this.handlers.get(notification.getName());
		if (handler != null) {
			try {
				handler.accept(notification.getParameter());
			}
			catch (RuntimeException ex) {
				log.warn("A handler of '{}' failed: {}", notification.getName(), ex.getMessage());
			}
		}
	}

	private void pause() {
		try {
			Thread.sleep(5_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
