package dev.klinika.scheduling;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.organization.Branches;
import dev.klinika.scheduling.AppointmentEvents.AppointmentCancelled;
import dev.klinika.scheduling.AppointmentEvents.AppointmentMoved;
import dev.klinika.security.AuditLog;
import dev.klinika.security.BranchScope;
import dev.klinika.security.CurrentUser;

/**
 * Patients who want a time sooner or other than the free ones: when a visit of their
 * service is cancelled or moved away, the freed time is offered to everyone waiting for
 * it (an event for messaging to send, and a list for the reception to call), and the
 * first to take it books it; the others are told it is gone.
 */
@Service
public class WaitingList {

	/** The furthest ahead a wish may reach. */
	static final int MAX_DAYS = 120;

	private final JdbcClient jdbc;

	private final Booking booking;

	private final Availability availability;

	private final Branches branches;

	private final ApplicationEventPublisher events;

	private final AuditLog audit;

	private final CurrentUser currentUser;

	private final Clock clock;

	private final dev.klinika.patients.PatientSearch patientNames;

	private final dev.klinika.catalog.CatalogQueries catalog;

	private final dev.klinika.organization.OrganizationQueries organization;

	WaitingList(JdbcClient jdbc, Booking booking, Availability availability, Branches branches,
			ApplicationEventPublisher events, AuditLog audit, CurrentUser currentUser, Clock clock,
			dev.klinika.patients.PatientSearch patientNames, dev.klinika.catalog.CatalogQueries catalog,
			dev.klinika.organization.OrganizationQueries organization) {
		this.patientNames = patientNames;
		this.catalog = catalog;
		this.organization = organization;
		this.jdbc = jdbc;
		this.booking = booking;
		this.availability = availability;
		this.branches = branches;
		this.events = events;
		this.audit = audit;
		this.currentUser = currentUser;
		this.clock = clock;
	}

	/**
	 * A freed time offered to patients on the waiting list, for messaging to tell them.
	 */
	public record SlotOffered(List<Long> entries, List<Long> patients, long branch, long service, long staff,
			Instant start) {
	}

	/**
	 * A patient's wish: a service in a branch, with someone or anyone, on days in a
	 * range.
	 */
	public record Wish(long patientId, long branchId, long serviceId, @Nullable Long staffId, LocalDate from,
			LocalDate to, @Nullable String note) {
	}

	/** A waiting patient as the list shows them, with the freed times offered to them. */
	public record Entry(long id, long patientId, String patient, @Nullable String phone, String service,
			@Nullable String staff, LocalDate from, LocalDate to, @Nullable String note, String status,
			@Nullable Long appointmentId, List<Offer> offers) {
	}

	/** A freed time offered to an entry. */
	public record Offer(long id, long staffId, String staff, Instant start) {
	}

	@Transactional
	public long add(Wish wish) {
		LocalDate today = LocalDate.now(this.clock.withZone(zone(wish.branchId())));
		if (wish.to().isBefore(wish.from()) || wish.to().isBefore(today) || wish.to().isAfter(today.plusDays(MAX_DAYS))
				|| (wish.note() != null && wish.note().length() > 500)) {
			throw new BookingRefused("WAITING_RANGE");
		}
		long id = this.jdbc
			.sql("""
					insert into waiting_entry (patient_id, branch_id, service_id, staff_id, date_from, date_to, note, created_by)
					values (:patient, :branch, :service, :staff, :from, :to, :note, :by) returning id
					""")
			.param("patient", wish.patientId())
			.param("branch", wish.branchId())
			.param("service", wish.serviceId())
			.param("staff", wish.staffId())
			.param("from", wish.from().isBefore(today) ? today : wish.from())
			.param("to", wish.to())
			.param("note", wish.note() == null || wish.note().isBlank() ? null : wish.note().trim())
			.param("by", this.currentUser.actor())
			.query(Long.class)
			.single();
		this.audit.record("WAITING_ADDED", "waiting_entry", id, "patient " + wish.patientId());
		return id;
	}

	@Transactional
	public void remove(long id) {
		this.jdbc.sql(
				"update waiting_entry set status = 'REMOVED', version = version + 1 where id = :id and status = 'WAITING'")
			.param("id", id)
			.update();
		this.audit.record("WAITING_REMOVED", "waiting_entry", id, null);
	}

	/**
	 * Books the entry's patient at an offered time. The first to take a time gets it; a
	 * time someone took meanwhile is "just taken", and the entry keeps waiting.
	 */
	public Appointment take(long offerId) {
		var offer = this.jdbc.sql("""
				select o.entry_id, o.staff_id, o.starts_at, e.patient_id, e.branch_id, e.service_id, e.status
				  from waiting_offer o join waiting_entry e on e.id = o.entry_id where o.id = :id
				""")
			.param("id", offerId)
			.query()
			.listOfRows()
			.stream()
			.findFirst()
			.orElseThrow(() -> new BookingRefused("UNKNOWN_OFFER"));
		if (!"WAITING".equals(offer.get("status"))) {
			throw new BookingRefused("UNKNOWN_OFFER");
		}
		long entry = ((Number) offer.get("entry_id")).longValue();
		Appointment booked = this.booking.book(new Booking.Request(((Number) offer.get("patient_id")).longValue(),
				((Number) offer.get("service_id")).longValue(), ((Number) offer.get("staff_id")).longValue(),
				((Number) offer.get("branch_id")).longValue(),
				((java.sql.Timestamp) offer.get("starts_at")).toInstant(), null, Booking.Source.WAITING_LIST, null,
				null));
		this.jdbc
			.sql("""
					update waiting_entry set status = 'BOOKED', appointment_id = :appointment, version = version + 1 where id = :id
					""")
			.param("appointment", booked.id())
			.param("id", entry)
			.update();
		return booked;
	}

	/**
	 * Open entries (and those booked from the list in the last week) of the branches in
	 * scope.
	 */
	@Transactional(readOnly = true)
	public List<Entry> entries(BranchScope scope, @Nullable Long branchId) {
		record Row(long id, long patientId, long serviceId, @Nullable Long staffId, LocalDate from, LocalDate to,
				@Nullable String note, String status, @Nullable Long appointmentId) {
		}
		List<Row> rows = this.jdbc
			.sql("""
					select e.id, e.patient_id, e.service_id, e.staff_id, e.date_from, e.date_to, e.note, e.status, e.appointment_id
					  from waiting_entry e
					 where (e.status = 'WAITING' or (e.status = 'BOOKED' and e.created_at > now() - interval '7 days'))
					   and (:branch::bigint is null or e.branch_id = :branch) and (:all or e.branch_id in (:ids))
					 order by e.status desc, e.date_from, e.id
					""")
			.param("branch", branchId)
			.param("all", scope.all())
			.param("ids", scope.idsForSql())
			.query((rs, n) -> new Row(rs.getLong("id"), rs.getLong("patient_id"), rs.getLong("service_id"),
					(Long) rs.getObject("staff_id"), rs.getObject("date_from", LocalDate.class),
					rs.getObject("date_to", LocalDate.class), rs.getString("note"), rs.getString("status"),
					(Long) rs.getObject("appointment_id")))
			.list();
		// Names from their owners, one query each for the list.
		var patients = this.patientNames
			.briefs(rows.stream().map(Row::patientId).collect(java.util.stream.Collectors.toSet()));
		var services = this.catalog
			.names(rows.stream().map(Row::serviceId).collect(java.util.stream.Collectors.toSet()));
		var staff = this.organization.staffNames(rows.stream()
			.map(Row::staffId)
			.filter(java.util.Objects::nonNull)
			.collect(java.util.stream.Collectors.toSet()));
		List<Entry> entries = rows.stream().map(row -> {
			var patient = patients.get(row.patientId());
			return new Entry(row.id(), row.patientId(), patient == null ? "—" : patient.shortName(),
					patient == null ? null : patient.phone(), services.getOrDefault(row.serviceId(), "—"),
					row.staffId() == null ? null : staff.get(row.staffId()), row.from(), row.to(), row.note(),
					row.status(), row.appointmentId(), List.<Offer>of());
		}).toList();
		return entries.stream()
			.map(entry -> new Entry(entry.id(), entry.patientId(), entry.patient(), entry.phone(), entry.service(),
					entry.staff(), entry.from(), entry.to(), entry.note(), entry.status(), entry.appointmentId(),
					"WAITING".equals(entry.status()) ? offers(entry.id()) : List.of()))
			.toList();
	}

	public Optional<Long> branchOf(long entryId) {
		return this.jdbc.sql("select branch_id from waiting_entry where id = :id")
			.param("id", entryId)
			.query(Long.class)
			.optional();
	}

	public Optional<Long> branchOfOffer(long offerId) {
		return this.jdbc
			.sql("select e.branch_id from waiting_offer o join waiting_entry e on e.id = o.entry_id where o.id = :id")
			.param("id", offerId)
			.query(Long.class)
			.optional();
	}

	/** Offers still worth making: times ahead that are still free. */
	private List<Offer> offers(long entryId) {
		return this.jdbc.sql("""
				select o.id, o.staff_id, s.short_name as staff, o.starts_at
				  from waiting_offer o join organization_staff_v s on s.id = o.staff_id
				 where o.entry_id = :entry and o.starts_at > now()
				 order by o.starts_at
				""")
			.param("entry", entryId)
			.query((rs, n) -> new Offer(rs.getLong("id"), rs.getLong("staff_id"), rs.getString("staff"),
					rs.getObject("starts_at", OffsetDateTime.class).toInstant()))
			.list();
	}

	@ApplicationModuleListener
	void on(AppointmentCancelled cancelled) {
		offerFreed(cancelled.appointment(), cancelled.staff(), cancelled.start());
	}

	@ApplicationModuleListener
	void on(AppointmentMoved moved) {
		offerFreed(moved.appointment(), null, moved.from());
	}

	/**
	 * Offers a freed time to the entries that want it, once per entry and time (a
	 * redelivered event offers nothing twice), if it is still free and ahead.
	 */
	private void offerFreed(long appointmentId, @Nullable Long staffOfFreed, Instant start) {
		Appointment freed = this.booking.find(appointmentId).orElse(null);
		if (freed == null || !start.isAfter(this.clock.instant())) {
			return;
		}
		long staff = staffOfFreed != null ? staffOfFreed : freed.staffId();
		if (freed.status() != AppointmentStatus.CANCELLED && freed.staffId() == staff
				&& freed.time().start().equals(start)) {
			return;
		}
		LocalDate day = start.atZone(zone(freed.branchId())).toLocalDate();
		if (!this.availability.freeSlots(staff, freed.branchId(), freed.serviceId(), day, day).contains(start)) {
			return;
		}
		List<Long> entries = this.jdbc.sql("""
				insert into waiting_offer (entry_id, staff_id, starts_at)
				select e.id, :staff, :start from waiting_entry e
				 where e.status = 'WAITING' and e.branch_id = :branch and e.service_id = :service
				   and (e.staff_id is null or e.staff_id = :staff) and :day between e.date_from and e.date_to
				   and e.patient_id <> :patient
				on conflict (entry_id, staff_id, starts_at) do nothing
				returning entry_id
				""")
			.param("staff", staff)
			.param("start", OffsetDateTime.ofInstant(start, ZoneOffset.UTC))
			.param("branch", freed.branchId())
			.param("service", freed.serviceId())
			.param("day", day)
			.param("patient", freed.patientId())
			.query(Long.class)
			.list();
		if (entries.isEmpty()) {
			return;
		}
		List<Long> patients = this.jdbc.sql("select patient_id from waiting_entry where id in (:ids) order by id")
			.param("ids", entries)
			.query(Long.class)
			.list();
		this.events.publishEvent(new SlotOffered(entries, patients, freed.branchId(), freed.serviceId(), staff, start));
	}

	private java.time.ZoneId zone(long branchId) {
		return this.branches.findById(branchId).orElseThrow(() -> new BookingRefused("UNKNOWN_BRANCH")).getZone();
	}

}
