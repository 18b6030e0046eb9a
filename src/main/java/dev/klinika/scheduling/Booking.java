package dev.klinika.scheduling;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import dev.klinika.catalog.MedicalService;
import dev.klinika.catalog.MedicalServices;
import dev.klinika.organization.Branch;
import dev.klinika.organization.Branches;
import dev.klinika.organization.StaffMember;
import dev.klinika.organization.StaffMembers;
import dev.klinika.patients.Patient;
import dev.klinika.patients.Patients;
import dev.klinika.scheduling.AppointmentEvents.AppointmentBooked;
import dev.klinika.scheduling.AppointmentEvents.AppointmentCancelled;
import dev.klinika.scheduling.AppointmentEvents.AppointmentCheckedIn;
import dev.klinika.scheduling.AppointmentEvents.AppointmentCompleted;
import dev.klinika.scheduling.AppointmentEvents.AppointmentConfirmed;
import dev.klinika.scheduling.AppointmentEvents.AppointmentNoShow;
import dev.klinika.security.AuditLog;
import dev.klinika.security.CurrentUser;
import dev.klinika.security.KlinikaUser;
import dev.klinika.shared.ConcurrentChange;

/**
 * Books appointments and moves them through their life. Every rule a receptionist could
 * break is checked first and refused with a reason; the one no Java check can win, two
 * people taking the same time at once, is decided by the database's exclusion constraint
 * and answered with the nearest free times.
 */
@Service
public class Booking {

	/** The clinic's grid: appointments start every quarter of an hour. */
	public static final Duration GRID = Duration.ofMinutes(15);

	/**
	 * SQLSTATE of an exclusion-constraint violation: the time overlaps another
	 * appointment.
	 */
	static final String EXCLUSION_VIOLATION = "23P01";

	private final JdbcClient jdbc;

	private final WorkingTime workingTime;

	private final MedicalServices services;

	private final StaffMembers staff;

	private final Branches branches;

	private final Patients patients;

	private final TransactionTemplate transaction;

	private final ApplicationEventPublisher events;

	private final AuditLog audit;

	private final CurrentUser currentUser;

	private final Clock clock;

	Booking(JdbcClient jdbc, WorkingTime workingTime, MedicalServices services, StaffMembers staff, Branches branches,
			Patients patients, TransactionTemplate transaction, ApplicationEventPublisher events, AuditLog audit,
			CurrentUser currentUser, Clock clock) {
		this.jdbc = jdbc;
		this.workingTime = workingTime;
		this.services = services;
		this.staff = staff;
		this.branches = branches;
		this.patients = patients;
		this.transaction = transaction;
		this.events = events;
		this.audit = audit;
		this.currentUser = currentUser;
		this.clock = clock;
	}

	/** What a booking needs; the room is optional. */
	public record Request(long patientId, long serviceId, long staffId, long branchId, Instant start,
			@Nullable Long roomId) {
	}

	/**
	 * Books the patient, or refuses with a reason, or answers that the time was just
	 * taken.
	 */
	public Appointment book(Request request) {
		MedicalService service = this.services.findById(request.serviceId())
			.filter(MedicalService::isActive)
			.orElseThrow(() -> new BookingRefused("SERVICE_INACTIVE"));
		TimeSpan time = TimeSpan.of(request.start(), Duration.ofMinutes(service.getDurationMinutes()));
		Branch branch = checkRules(request.staffId(), request.branchId(), service, time);
		Patient patient = this.patients.findById(request.patientId())
			.filter(p -> p.getMergedInto() == null && !p.isErased())
			.orElseThrow(() -> new BookingRefused("UNKNOWN_PATIENT"));
		long id;
		try {
			id = this.transaction.execute(status -> {
				long created = this.jdbc
					.sql("""
							insert into appointment (branch_id, staff_id, room_id, patient_id, service_id, during, status, created_by)
							values (:branch, :staff, :room, :patient, :service, tstzrange(:start, :end, '[)'), 'BOOKED', :by)
							returning id
							""")
					.param("branch", request.branchId())
					.param("staff", request.staffId())
					.param("room", request.roomId())
					.param("patient", patient.getId())
					.param("service", service.getId())
					.param("start", utc(time.start()))
					.param("end", utc(time.end()))
					.param("by", actor())
					.query(Long.class)
					.single();
				this.audit.record("APPOINTMENT_BOOKED", "appointment", created,
						"patient " + patient.getId() + ", staff " + request.staffId() + ", " + time.start());
				this.events.publishEvent(new AppointmentBooked(created, patient.getId(), request.staffId(),
						request.branchId(), service.getId(), time.start()));
				return created;
			});
		}
		catch (DataIntegrityViolationException ex) {
			throw taken(ex, request.staffId(), branch, service, time.start());
		}
		return find(id).orElseThrow();
	}

	public Optional<Appointment> find(long id) {
		return this.jdbc.sql("""
				select id, branch_id, staff_id, room_id, patient_id, service_id, lower(during) as s, upper(during) as e,
				       status, cancel_reason, version
				  from appointment where id = :id
				""")
			.param("id", id)
			.query((rs, n) -> new Appointment(rs.getLong("id"), rs.getLong("branch_id"), rs.getLong("staff_id"),
					(Long) rs.getObject("room_id"), rs.getLong("patient_id"), rs.getLong("service_id"),
					new TimeSpan(rs.getObject("s", OffsetDateTime.class).toInstant(),
							rs.getObject("e", OffsetDateTime.class).toInstant()),
					AppointmentStatus.valueOf(rs.getString("status")), rs.getString("cancel_reason"),
					rs.getInt("version")))
			.optional();
	}

	public Appointment confirm(long id) {
		Appointment done = change(id, AppointmentStatus.CONFIRMED, null);
		this.events.publishEvent(new AppointmentConfirmed(id, done.patientId()));
		return done;
	}

	public Appointment checkIn(long id) {
		Appointment done = change(id, AppointmentStatus.CHECKED_IN, null);
		this.events.publishEvent(new AppointmentCheckedIn(id, done.patientId()));
		return done;
	}

	public Appointment start(long id) {
		return change(id, AppointmentStatus.IN_PROGRESS, null);
	}

	public Appointment complete(long id) {
		Appointment done = change(id, AppointmentStatus.COMPLETED, null);
		this.events.publishEvent(
				new AppointmentCompleted(id, done.patientId(), done.staffId(), done.serviceId(), done.time().start()));
		return done;
	}

	public Appointment markNoShow(long id) {
		Appointment done = change(id, AppointmentStatus.NO_SHOW, null);
		this.events.publishEvent(new AppointmentNoShow(id, done.patientId(), done.staffId(), done.time().start()));
		return done;
	}

	/** Cancels with a reason from the clinic's list; the time is free again at once. */
	public Appointment cancel(long id, String reason) {
		Appointment done = change(id, AppointmentStatus.CANCELLED, reason);
		this.events
			.publishEvent(new AppointmentCancelled(id, done.patientId(), done.staffId(), done.time().start(), reason));
		return done;
	}

	/**
	 * Moves a booked or confirmed appointment to another time (and staff member), under
	 * the same rules as a booking; a time someone else took first is refused like a
	 * booking.
	 */
	public Appointment move(long id, Instant newStart, long newStaffId) {
		Appointment current = find(id).orElseThrow();
		if (!current.status().movable()) {
			throw new IllegalStateException("An appointment " + current.status() + " cannot move");
		}
		MedicalService service = this.services.findById(current.serviceId()).orElseThrow();
		// The visit keeps its length when it moves.
		TimeSpan time = TimeSpan.of(newStart, Duration.between(current.time().start(), current.time().end()));
		Branch branch = checkRules(newStaffId, current.branchId(), service, time);
		int updated;
		try {
			updated = this.transaction.execute(status -> {
				int rows = this.jdbc
					.sql("""
							update appointment set staff_id = :staff, during = tstzrange(:start, :end, '[)'), version = version + 1
							 where id = :id and version = :version
							""")
					.param("staff", newStaffId)
					.param("start", utc(time.start()))
					.param("end", utc(time.end()))
					.param("id", id)
					.param("version", current.version())
					.update();
				if (rows == 1) {
					this.audit.record("APPOINTMENT_MOVED", "appointment", id,
							current.time().start() + " -> " + time.start() + ", staff " + newStaffId);
					this.events.publishEvent(new AppointmentEvents.AppointmentMoved(id, current.patientId(), newStaffId,
							current.time().start(), time.start()));
				}
				return rows;
			});
		}
		catch (DataIntegrityViolationException ex) {
			throw taken(ex, newStaffId, branch, service, time.start());
		}
		if (updated == 0) {
			throw new ConcurrentChange("appointment " + id + " was changed by someone else");
		}
		return find(id).orElseThrow();
	}

	/**
	 * Free start times of every active staff member of a branch (or those with a
	 * specialty) for a visit of some length over some days: "any specialist" booking and
	 * the grid's free cells. Two queries whatever the number of staff, then the pure
	 * {@link FreeSlots} per person.
	 */
	public Map<Long, List<Instant>> freeSlotsInBranch(long branchId, @Nullable Long specialtyId, Duration duration,
			LocalDate from, LocalDate to) {
		Branch branch = this.branches.findById(branchId).orElseThrow();
		ZoneId zone = branch.getZone();
		List<Long> staffIds = this.jdbc.sql("""
				select s.id from staff s join staff_branch sb on sb.staff_id = s.id
				 where sb.branch_id = :branch and s.dismissed_on is null
				   and (:specialty::bigint is null or exists (select 1 from staff_specialty ss
				        where ss.staff_id = s.id and ss.specialty_id = :specialty))
				""").param("branch", branchId).param("specialty", specialtyId).query(Long.class).list();
		Map<Long, List<TimeSpan>> shifts = this.workingTime.shifts(staffIds, branchId, from, to, zone);
		TimeSpan window = new TimeSpan(from.atStartOfDay(zone).toInstant(),
				to.plusDays(1).atStartOfDay(zone).toInstant());
		Map<Long, List<TimeSpan>> busy = this.workingTime.busy(staffIds, window);
		Instant now = this.clock.instant();
		Map<Long, List<Instant>> free = new java.util.LinkedHashMap<>();
		shifts.forEach((staffId, own) -> free.put(staffId,
				FreeSlots.find(own, busy.getOrDefault(staffId, List.of()), duration, GRID, zone)
					.stream()
					.filter(start -> start.isAfter(now))
					.toList()));
		return free;
	}

	/** Free start times for a service with a staff member in a branch over some days. */
	public List<Instant> freeSlots(long staffId, long branchId, long serviceId, LocalDate from, LocalDate to) {
		MedicalService service = this.services.findById(serviceId).orElseThrow();
		Branch branch = this.branches.findById(branchId).orElseThrow();
		ZoneId zone = branch.getZone();
		List<TimeSpan> shifts = this.workingTime.shifts(staffId, branchId, from, to, zone);
		if (shifts.isEmpty()) {
			return List.of();
		}
		TimeSpan window = new TimeSpan(shifts.get(0).start(), shifts.get(shifts.size() - 1).end());
		Instant now = this.clock.instant();
		return FreeSlots
			.find(shifts, this.workingTime.busy(staffId, window), Duration.ofMinutes(service.getDurationMinutes()),
					GRID, zone)
			.stream()
			.filter(start -> start.isAfter(now))
			.toList();
	}

	private Appointment change(long id, AppointmentStatus next, @Nullable String reason) {
		Appointment current = find(id).orElseThrow();
		Appointment changed = current.moveTo(next);
		int updated = this.jdbc.sql("""
				update appointment set status = :status, cancel_reason = coalesce(:reason, cancel_reason),
				       version = version + 1
				 where id = :id and version = :version
				""")
			.param("status", changed.status().name())
			.param("reason", reason)
			.param("id", id)
			.param("version", current.version())
			.update();
		if (updated == 0) {
			throw new ConcurrentChange("appointment " + id + " was changed by someone else");
		}
		this.audit.record("APPOINTMENT_" + next, "appointment", id, reason);
		return find(id).orElseThrow();
	}

	/**
	 * The rules a booking must keep before it reaches the database; returns the branch.
	 */
	private Branch checkRules(long staffId, long branchId, MedicalService service, TimeSpan time) {
		if (!time.start().isAfter(this.clock.instant())) {
			throw new BookingRefused("PAST");
		}
		Branch branch = this.branches.findById(branchId)
			.filter(Branch::isActive)
			.orElseThrow(() -> new BookingRefused("UNKNOWN_BRANCH"));
		StaffMember member = this.staff.findById(staffId)
			.filter(StaffMember::isActive)
			.orElseThrow(() -> new BookingRefused("UNKNOWN_STAFF"));
		if (!member.getBranchIds().contains(branchId)) {
			throw new BookingRefused("STAFF_NOT_IN_BRANCH");
		}
		if (!member.getSpecialtyIds().contains(service.getSpecialtyId())) {
			throw new BookingRefused("NO_SPECIALTY");
		}
		ZoneId zone = branch.getZone();
		LocalDate day = time.start().atZone(zone).toLocalDate();
		boolean inShift = this.workingTime.shifts(staffId, branchId, day.minusDays(1), day, zone)
			.stream()
			.anyMatch(shift -> shift.contains(time));
		if (!inShift) {
			throw new BookingRefused("OUTSIDE_SHIFT");
		}
		if (this.workingTime.absent(staffId, time)) {
			throw new BookingRefused("ABSENT");
		}
		return branch;
	}

	private List<Instant> nearestFree(long staffId, Branch branch, MedicalService service, Instant around) {
		LocalDate day = around.atZone(branch.getZone()).toLocalDate();
		return freeSlots(staffId, branch.getId(), service.getId(), day, day.plusDays(7)).stream().limit(5).toList();
	}

	/**
	 * What a failed write means: an overlap (SQLSTATE 23P01) is "this time was just
	 * taken" with the nearest free times; anything else is passed on as it was.
	 */
	private RuntimeException taken(DataIntegrityViolationException ex, long staffId, Branch branch,
			MedicalService service, Instant around) {
		return isOverlap(ex) ? new SlotTaken(nearestFree(staffId, branch, service, around)) : ex;
	}

	private static boolean isOverlap(DataIntegrityViolationException ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && EXCLUSION_VIOLATION.equals(sql.getSQLState())) {
				return true;
			}
		}
		return false;
	}

	private String actor() {
		return this.currentUser.get().map(KlinikaUser::getUsername).orElse("system");
	}

	private static OffsetDateTime utc(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

}
