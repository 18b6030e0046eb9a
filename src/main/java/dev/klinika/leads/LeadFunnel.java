package dev.klinika.leads;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

import dev.klinika.messaging.ChannelKind;
import dev.klinika.messaging.Inbox;
import dev.klinika.patients.PatientsMerged;
import dev.klinika.scheduling.Appointment;
import dev.klinika.scheduling.AppointmentEvents.AppointmentBooked;
import dev.klinika.scheduling.AppointmentEvents.AppointmentCheckedIn;
import dev.klinika.scheduling.AppointmentEvents.AppointmentCompleted;
import dev.klinika.scheduling.Booking;
import dev.klinika.shared.PhoneNumber;
import dev.klinika.telephony.Calls;

/**
 * The funnel moving by itself: a stranger's call or message becomes a lead; a call
 * answered stops the response clock; a booking makes the person's lead BOOKED (linking
 * the card the booking was made for, found by the lead's number), the arrival CAME, a
 * course's first visit COURSE_STARTED and its last COURSE_COMPLETED, and a later visit
 * CAME_BACK. Events redelivered after a restart change nothing: inquiries are taken once
 * per origin and stages only move forward.
 */
@Component
class LeadFunnel {

	/** Calls and messages reported this late are history, not inquiries to answer. */
	static final Duration TOO_LATE = Duration.ofDays(1);

	private final Leads leads;

	private final JdbcClient jdbc;

	private final Booking booking;

	private final dev.klinika.care.Pathways pathways;

	LeadFunnel(Leads leads, JdbcClient jdbc, Booking booking, dev.klinika.care.Pathways pathways) {
		this.pathways = pathways;
		this.leads = leads;
		this.jdbc = jdbc;
		this.booking = booking;
	}

	/** A call from a number no card has is an inquiry. */
	@ApplicationModuleListener
	void on(Calls.CallReceived call) {
		if (call.patient() != null || call.caller() == null || !call.caller().startsWith("+") || late(call.at())) {
			return;
		}
		Leads.Taken taken = this.leads
			.take(new Leads.Inquiry(LeadChannel.CALL, "call:" + call.call(), call.branch(), null, call.caller(), null,
					null, null, call.source(), call.campaign(), Leads.Utm.NONE, null, call.at(), null));
		// The call was answered: the lead was contacted then, by whoever answered.
		if (!taken.repeated() && call.answeredAt() != null) {
			this.leads.contacted(taken.lead(), call.answeredAt(),
					call.answeredBy() == null ? "pbx" : call.answeredBy());
		}
	}

	/** Whoever spoke with the person answered the lead. */
	@ApplicationModuleListener
	void on(Calls.CallAnswered answered) {
		if (answered.number() == null || late(answered.at())) {
			return;
		}
		List<Long> open = this.jdbc.sql("""
				select id from lead where phone = :phone and contacted_at is null and stage in ('NEW', 'IN_PROGRESS')
				""").param("phone", answered.number()).query(Long.class).list();
		String by = answered.employee() == null ? "pbx" : answered.employee();
		open.forEach(lead -> this.leads.contacted(lead, answered.at(), by));
	}

	/** A stranger's SMS, email or Telegram message is an inquiry. */
	@ApplicationModuleListener
	void on(Inbox.UnknownSenderWrote message) {
		String phone = message.channel() == ChannelKind.SMS
				? PhoneNumber.parse(message.sender()).map(PhoneNumber::e164).orElse(null) : null;
		String email = message.channel() == ChannelKind.EMAIL ? message.sender() : null;
		String name = message.channel() == ChannelKind.TELEGRAM ? "Telegram " + message.sender() : null;
		this.leads.take(new Leads.Inquiry(LeadChannel.MESSAGE, "message:" + message.message(), null, name, phone, email,
				message.text(), null, null, null, Leads.Utm.NONE, null, this.leads.now(), null));
	}

	/**
	 * A booking: the person's open (or lately lost) lead is booked, and linked to the
	 * card when it was found by its number.
	 */
	@ApplicationModuleListener
	void on(AppointmentBooked booked) {
		List<Long> found = this.jdbc
			.sql("""
					select l.id from lead l
					 where (l.patient_id = :patient
					        or (l.patient_id is null and l.phone in (select number from patients_phone_v where patient_id = :patient)))
					   and (l.stage in ('NEW', 'IN_PROGRESS') or (l.stage = 'LOST' and l.stage_at > :since))
					 order by l.created_at desc limit 1
					""")
			.param("patient", booked.patient())
			.param("since", Leads.utc(this.leads.now().minus(Duration.ofDays(30))))
			.query(Long.class)
			.list();
		for (long lead : found) {
			this.leads.link(lead, booked.patient());
			this.leads.advance(lead, LeadStage.BOOKED, this.leads.now(), booked.appointment());
		}
	}

	@ApplicationModuleListener
	void on(AppointmentCheckedIn arrived) {
		this.booking.find(arrived.appointment()).ifPresent(visit -> latest(visit.patientId()).ifPresent(lead -> {
			if (lead.stage() == LeadStage.BOOKED) {
				this.leads.advance(lead.id(), LeadStage.CAME, this.leads.now(), visit.id());
			}
			else if (cameBack(lead, visit)) {
				this.leads.advance(lead.id(), LeadStage.CAME_BACK, this.leads.now(), null);
			}
		}));
	}

	@ApplicationModuleListener
	void on(AppointmentCompleted completed) {
		this.booking.find(completed.appointment()).ifPresent(visit -> latest(visit.patientId()).ifPresent(lead -> {
			if (visit.seriesId() == null || this.pathways.attached(visit.id())) {
				// A pathway's sessions move the course stages with the pathway (below).
				if (lead.stage() == LeadStage.BOOKED) {
					this.leads.advance(lead.id(), LeadStage.CAME, this.leads.now(), visit.id());
				}
				return;
			}
			boolean finished = !this.jdbc.sql("""
					select count(*) > 0 from scheduling_appointment_v
					 where series_id = :series and open
					""").param("series", visit.seriesId()).query(Boolean.class).single();
			LeadStage to = finished ? LeadStage.COURSE_COMPLETED : LeadStage.COURSE_STARTED;
			if (lead.stage() == LeadStage.BOOKED || lead.stage() == LeadStage.CAME
					|| lead.stage() == LeadStage.COURSE_STARTED) {
				this.leads.advance(lead.id(), to, this.leads.now(), null);
			}
		}));
	}

	/** A pathway's first attended session: the course started. */
	@ApplicationModuleListener
	void on(dev.klinika.care.CareEvents.PathwayStarted started) {
		latest(started.patient()).ifPresent(lead -> {
			if (lead.stage() == LeadStage.BOOKED || lead.stage() == LeadStage.CAME) {
				this.leads.advance(lead.id(), LeadStage.COURSE_STARTED, this.leads.now(), null);
			}
		});
	}

	/** A pathway completed: the course completed. */
	@ApplicationModuleListener
	void on(dev.klinika.care.CareEvents.PathwayCompleted completed) {
		latest(completed.patient()).ifPresent(lead -> {
			if (lead.stage() == LeadStage.BOOKED || lead.stage() == LeadStage.CAME
					|| lead.stage() == LeadStage.COURSE_STARTED) {
				this.leads.advance(lead.id(), LeadStage.COURSE_COMPLETED, this.leads.now(), null);
			}
		});
	}

	/** Leads follow a merged card to the card that stays. */
	@ApplicationModuleListener
	void on(PatientsMerged merged) {
		this.jdbc.sql("update lead set patient_id = :survivor where patient_id = :merged")
			.param("survivor", merged.survivor())
			.param("merged", merged.merged())
			.update();
	}

	record Latest(long id, LeadStage stage, @Nullable Long appointmentId, @Nullable Instant stageAt) {
	}

	private java.util.Optional<Latest> latest(long patient) {
		return this.jdbc.sql("""
				select id, stage, appointment_id, stage_at from lead where patient_id = :patient and stage <> 'LOST'
				 order by created_at desc limit 1
				""").param("patient", patient).query(Latest.class).optional();
	}

	/**
	 * A visit that is neither the lead's first nor part of its course, after the person
	 * came (or finished the course): they came back.
	 */
	private static boolean cameBack(Latest lead, Appointment visit) {
		boolean after = lead.stage() == LeadStage.CAME || lead.stage() == LeadStage.COURSE_COMPLETED;
		return after && visit.seriesId() == null && !Long.valueOf(visit.id()).equals(lead.appointmentId());
	}

	private boolean late(Instant at) {
		return at.isBefore(this.leads.now().minus(TOO_LATE));
	}

}
