package dev.klinika.scheduling.web;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.BiConsumer;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.klinika.scheduling.Appointment;
import dev.klinika.scheduling.AppointmentEvents;
import dev.klinika.scheduling.Booking;

/**
 * Tells every node that an appointment of a branch changed, through PostgreSQL's
 * LISTEN/NOTIFY: the change's transaction sends {@code NOTIFY klinika_schedule,
 * 'branch:appointment'}, which PostgreSQL delivers only if and when it commits; each node
 * listens on a connection of its own and passes the news to its open grids. A node that
 * loses the connection listens again; grids reload what they missed on their next event.
 */
@Component
class ScheduleNotifications implements SmartLifecycle {

	static final String CHANNEL = "klinika_schedule";

	private static final Logger log = LoggerFactory.getLogger(ScheduleNotifications.class);

	private final DataSource dataSource;

	private final JdbcClient jdbc;

	private final Booking booking;

	private final ScheduleStream stream;

	private volatile boolean running;

	private volatile Thread listener;

	ScheduleNotifications(DataSource dataSource, JdbcClient jdbc, Booking booking, ScheduleStream stream) {
		this.dataSource = dataSource;
		this.jdbc = jdbc;
		this.booking = booking;
		this.stream = stream;
	}

	/** Any change of an appointment, inside its transaction. */
	@EventListener
	void on(AppointmentEvents.AppointmentEvent event) {
		if (event instanceof AppointmentEvents.AppointmentBooked booked) {
			notify(booked.branch(), booked.appointment());
		}
		else {
			this.booking.find(event.appointment())
				.map(Appointment::branchId)
				.ifPresent(branch -> notify(branch, event.appointment()));
		}
	}

	/** Inside the change's transaction: delivered on commit, dropped on rollback. */
	private void notify(long branch, long appointment) {
		this.jdbc.sql("select pg_notify(:channel, :payload)")
			.param("channel", CHANNEL)
			.param("payload", branch + ":" + appointment)
			.query()
			.listOfRows();
	}

	@Override
	public void start() {
		this.running = true;
		Thread thread = new Thread(this::listen, "schedule-listen");
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

	private void listen() {
		while (this.running) {
			try (Connection connection = this.dataSource.getConnection()) {
				try (Statement statement = connection.createStatement()) {
					statement.execute("LISTEN " + CHANNEL);
				}
				if (!connection.getAutoCommit()) {
					connection.commit();
				}
				PGConnection pg = connection.unwrap(PGConnection.class);
				while (this.running) {
					PGNotification[] notifications = pg.getNotifications(5_000);
					if (notifications != null) {
						for (PGNotification notification : notifications) {
							dispatch(notification.getParameter(), this.stream::changed);
						}
					}
				}
			}
			catch (SQLException ex) {
				if (this.running) {
					log.warn("Listening for schedule changes failed, trying again in 5 s: {}", ex.getMessage());
					sleep();
				}
			}
		}
	}

	static void dispatch(String payload, BiConsumer<Long, Long> changed) {
		int colon = payload.indexOf(':');
		if (colon > 0) {
			try {
				changed.accept(Long.parseLong(payload.substring(0, colon)),
						Long.parseLong(payload.substring(colon + 1)));
			}
			catch (NumberFormatException ex) {
				log.warn("A schedule notification that is not 'branch:appointment' was ignored");
			}
		}
	}

	private void sleep() {
		try {
			Thread.sleep(5_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
