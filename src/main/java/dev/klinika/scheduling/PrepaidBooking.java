package dev.klinika.scheduling;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the money module asks of the schedule for a prepaid online booking: keep the held
 * time while the patient pays, book it when the payment is authorized (on the hold, or on
 * the time alone when the hold has lapsed and nobody took the time meanwhile), let it go
 * when the payment fails, and cancel a visit whose payment could not be taken.
 */
@Component
public class PrepaidBooking {

	private final Booking booking;

	private final SlotHolds holds;

	private final AppointmentLifecycle lifecycle;

	private final TransactionTemplate transaction;

	private final OnlineBooking online;

	PrepaidBooking(Booking booking, SlotHolds holds, AppointmentLifecycle lifecycle, TransactionTemplate transaction,
			OnlineBooking online) {
		this.online = online;
		this.booking = booking;
		this.holds = holds;
		this.lifecycle = lifecycle;
		this.transaction = transaction;
	}

	/** The visit booked for a payment, with the code the patient manages it by. */
	public record Booked(long appointmentId, String code) {
	}

	/** What to book: as the order named it, with the code the visit will carry. */
	public record Held(long patientId, long branchId, long serviceId, long staffId, Instant start,
			@Nullable String holdToken, String code) {
	}

	/**
	 * Books the held time in a transaction of its own; empty when the time was taken or a
	 * rule refuses it now (the payment is then cancelled, not taken).
	 */
	public Optional<Booked> book(Held held) {
		try {
			return Optional.ofNullable(this.transaction.execute(status -> {
				Appointment appointment = this.booking
					.book(new Booking.Request(held.patientId(), held.serviceId(), held.staffId(), held.branchId(),
							held.start(), null, Booking.Source.ONLINE, held.holdToken(), null, held.code()));
				return new Booked(appointment.id(), held.code());
			}));
		}
		catch (SlotTaken | BookingRefused ex) {
			return Optional.empty();
		}
	}

	/** The visit booked with this code, while it stands. */
	public Optional<Booked> byCode(String code) {
		return this.online.byCode(code).map(done -> new Booked(done.appointmentId(), code));
	}

	/** Lets the time go for others at once. */
	public void release(String holdToken) {
		this.holds.release(holdToken);
	}

	/**
	 * Cancels a visit booked for a payment that was then cancelled by the provider (the
	 * clinic never took the money).
	 */
	public void cancelUnpaid(long appointmentId) {
		this.transaction.executeWithoutResult(status -> {
			if (this.booking.find(appointmentId).filter(a -> a.status().movable()).isPresent()) {
				this.lifecycle.cancel(appointmentId, CancelReason.OTHER.name());
			}
		});
	}

}
