package dev.klinika.scheduling;

import java.util.function.BiConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Tells every node that an appointment of a branch changed, through PostgreSQL's
 * LISTEN/NOTIFY: the change's transaction sends {@code NOTIFY klinika_schedule,
 * 'branch:appointment'}, which PostgreSQL delivers only if and when it commits; each node
 * hears it through {@link dev.klinika.DatabaseNotifications} and passes the news to its
 * open grids.
 */
@Component
class ScheduleNotifications {

	static final String CHANNEL = "klinika_schedule";

	private static final Logger log = LoggerFactory.getLogger(ScheduleNotifications.class);

	private final JdbcClient jdbc;

	private final Booking booking;

	private final ScheduleStream stream;

	ScheduleNotifications(dev.klinika.DatabaseNotifications notifications, JdbcClient jdbc, Booking booking,
			ScheduleStream stream) {
		this.jdbc = jdbc;
		this.booking = booking;
		this.stream = stream;
		notifications.listen(CHANNEL, payload -> dispatch(payload, stream::changed));
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

}
