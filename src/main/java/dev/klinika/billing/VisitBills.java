package dev.klinika.billing;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.scheduling.AppointmentEvents.AppointmentCancelled;

/**
 * Bills and the visits they belong to: a cancelled visit's unpaid bill is voided, and the
 * visits done but not billed are counted and listed for the reception.
 */
@Component
public class VisitBills {

	private final JdbcClient jdbc;

	private final Bills bills;

	private final org.springframework.context.MessageSource messages;

	private final Packages packages;

	VisitBills(JdbcClient jdbc, Bills bills, org.springframework.context.MessageSource messages, Packages packages) {
		this.packages = packages;
		this.jdbc = jdbc;
		this.bills = bills;
		this.messages = messages;
	}

	/** The reason is kept in the clinic's language, as the desk reads it on the bill. */
	@ApplicationModuleListener
	void on(AppointmentCancelled cancelled) {
		java.util.Locale ru = java.util.Locale.forLanguageTag("ru");
		String why = cancelled.reason() == null ? null
				: this.messages.getMessage("cancel.reason." + cancelled.reason(), null, cancelled.reason(), ru);
		this.bills.voidUnpaidOfVisit(cancelled.appointment(),
				this.messages.getMessage("billing.void.visitCancelled", new Object[] { why == null ? "—" : why }, ru));
		this.packages.returnOfVisit(cancelled.appointment());
	}

	/**
	 * A no-show burns a visit of the patient's package where the clinic's rule says so.
	 */
	@ApplicationModuleListener
	void on(dev.klinika.scheduling.AppointmentEvents.AppointmentNoShow noShow) {
		this.packages.burnForNoShow(noShow.appointment());
	}

	/** A completed visit with no bill that is not void. */
	public record Unbilled(long appointment, long patient, long staff, long service, Instant start) {
	}

	/** How many visits of a branch's day were completed without a bill. */
	@Transactional(readOnly = true)
	public int unbilledCount(long branchId, LocalDate day, ZoneId zone) {
		return unbilledOf("select count(*)", "", branchId, day, zone).query(Integer.class).single();
	}

	/** The visits of a branch's day completed without a bill, in time order. */
	@Transactional(readOnly = true)
	public List<Unbilled> unbilled(long branchId, LocalDate day, ZoneId zone) {
		return unbilledOf("select a.id, a.patient_id, a.staff_id, a.service_id, a.starts_at", "order by a.starts_at",
				branchId, day, zone)
			.query((rs, n) -> new Unbilled(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
					rs.getObject(5, OffsetDateTime.class).toInstant()))
			.list();
	}

	/** The completed visits of a branch's day that have no bill, as a count or a list. */
	private JdbcClient.StatementSpec unbilledOf(String select, String order, long branchId, LocalDate day,
			ZoneId zone) {
		return this.jdbc.sql(select + """
				 from scheduling_appointment_v a
				 where a.branch_id = :branch and a.status = 'COMPLETED' and a.starts_at >= :from and a.starts_at < :to
				   and not exists (select 1 from bill b where b.appointment_id = a.id and b.voided_at is null)
				""" + order)
			.param("branch", branchId)
			.param("from", start(day, zone))
			.param("to", start(day.plusDays(1), zone));
	}

	private static OffsetDateTime start(LocalDate day, ZoneId zone) {
		return OffsetDateTime.ofInstant(day.atStartOfDay(zone).toInstant(), ZoneOffset.UTC);
	}

}
