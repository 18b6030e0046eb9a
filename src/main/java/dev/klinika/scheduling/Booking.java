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
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.TransactionDefinition;
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
import dev.klinika.security.AuditLog;
import dev.klinika.security.CurrentUser;

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

	/**
	 * One try at a write: its own transaction, or a savepoint inside a caller's (an
	 * online booking's idempotency key, a course), so that a time or room taken meanwhile
	 * rolls back the try alone and the caller may still try another room and look up the
	 * nearest free times.
	 */
	private final TransactionTemplate attempt;

	private final StaffDurations durations;

	private final SlotHolds holds;

	private final ApplicationEventPublisher events;

	private final AuditLog audit;

	private final CurrentUser currentUser;

	private final Clock clock;

	private final Availability availability;

	Booking(JdbcClient jdbc, WorkingTime workingTime, MedicalServices services, StaffMembers staff, Branches branches,
			Patients patients, TransactionTemplate transaction, StaffDurations durations, SlotHolds holds,
			ApplicationEventPublisher events, AuditLog audit, CurrentUser currentUser, Clock clock,
			Availability availability) {
		this.availability = availability;
		this.durations = durations;
		this.holds = holds;
		this.jdbc = jdbc;
		this.workingTime = workingTime;
		this.services = services;
		this.staff = staff;
		this.branches = branches;
		this.patients = patients;
		this.attempt = attempts(transaction);
		this.events = events;
		this.audit = audit;
		this.currentUser = currentUser;
		this.clock = clock;
	}

	/**
	 * Tries at a write: each in its own transaction, or in a savepoint inside a caller's,
	 * so that a conflict rolls back the try alone.
	 */
	static TransactionTemplate attempts(TransactionTemplate transaction) {
		TransactionTemplate attempt = new TransactionTemplate(
				Objects.requireNonNull(transaction.getTransactionManager()));
		attempt.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
		return attempt;
	}

	/** Where a booking came from, for the reports and the funnel. */
	public enum Source {

		STAFF, ONLINE, WEBSITE, WAITING_LIST

	}

	/**
	 * What a booking needs. The room is optional: a service that needs a room kind takes
	 * a free one by itself. The hold token is the online form's hold on this time; the
	 * series is the course the visit belongs to.
	 */
	public record Request(long patientId, long serviceId, long staffId, long branchId, Instant start,
			@Nullable Long roomId, Source source, @Nullable String holdToken, @Nullable Long seriesId,
			@Nullable String publicCode) {

		public Request(long patientId, long serviceId, long staffId, long branchId, Instant start,
				@Nullable Long roomId, Source source, @Nullable String holdToken, @Nullable Long seriesId) {
			this(patientId, serviceId, staffId, branchId, start, roomId, source, holdToken, seriesId, null);
		}

		public Request(long patientId, long serviceId, long staffId, long branchId, Instant start,
				@Nullable Long roomId) {
			this(patientId, serviceId, staffId, branchId, start, roomId, Source.STAFF, null, null);
		}

	}

	/**
	 * Books the patient, or refuses with a reason, or answers that the time was just
	 * taken. The staff member's time, the room and (for a group) the seat are taken in
	 * one transaction, or none of them.
	 */
	public Appointment book(Request request) {
		MedicalService service = this.services.findById(request.serviceId())
			.filter(MedicalService::isActive)
			.orElseThrow(() -> new BookingRefused("SERVICE_INACTIVE"));
		TimeSpan time = TimeSpan.of(request.start(), this.durations.of(request.staffId(), service));
		Branch branch = checkRules(request.staffId(), request.branchId(), service, time);
		Patient patient = this.patients.findById(request.patientId())
			.filter(p -> p.getMergedInto() == null && !p.isErased())
			.orElseThrow(() -> new BookingRefused("UNKNOWN_PATIENT"));
		for (int attempt = 1;; attempt++) {
			try {
				long id = this.attempt.execute(status -> insert(request, service, branch, patient, time));
				return find(id).orElseThrow();
			}
			catch (DataIntegrityViolationException ex) {
				// Another booking took the room first while a second room of the kind is
				// free: try it.
				if (isViolated(ex, "appointment_room_no_overlap") && request.roomId() == null && attempt < 3) {
					continue;
				}
				throw taken(ex, request.staffId(), branch, service, time.start());
			}
			catch (org.springframework.dao.PessimisticLockingFailureException ex) {
				throw deadlocked(ex, request.staffId(), branch, service, time.start());
			}
		}
	}

	private long insert(Request request, MedicalService service, Branch branch, Patient patient, TimeSpan time) {
		if (this.holds.heldByOthers(request.staffId(), time, request.holdToken())) {
			throw new SlotTaken(nearestFree(request.staffId(), branch, service, time.start()));
		}
		Long roomId = request.roomId();
		Long groupId = null;
		if (roomId != null) {
			this.availability.checkRoom(roomId, branch, service);
		}
		if (service.isGroup()) {
			GroupSession group = groupFor(request.staffId(), branch, service, time, roomId);
			groupId = group.id();
			roomId = group.roomId();
			boolean seated = this.jdbc.sql("""
					select count(*) > 0 from appointment
					 where group_session_id = :group and patient_id = :patient and status <> 'CANCELLED'
					""").param("group", groupId).param("patient", patient.getId()).query(Boolean.class).single();
			if (seated) {
				throw new BookingRefused("ALREADY_IN_GROUP");
			}
		}
		else if (roomId == null && service.getRoomKind().isPresent()) {
			roomId = this.availability.freeRoom(branch.getId(), service.getRoomKind().get(), time, null, null)
				.orElseThrow(() -> new SlotTaken(nearestFree(request.staffId(), branch, service, time.start())));
		}
		long created = this.jdbc
			.sql("""
					insert into appointment (branch_id, staff_id, room_id, patient_id, service_id, during, status, created_by,
					                         group_session_id, series_id, source, public_code)
					values (:branch, :staff, :room, :patient, :service, tstzrange(:start, :end, '[)'), 'BOOKED', :by,
					        :group, :series, :source, :code)
					returning id
					""")
			.param("branch", branch.getId())
			.param("staff", request.staffId())
			.param("room", roomId)
			.param("patient", patient.getId())
			.param("service", service.getId())
			.param("start", utc(time.start()))
			.param("end", utc(time.end()))
			.param("by", this.currentUser.actor())
			.param("group", groupId)
			.param("series", request.seriesId())
			.param("source", request.source().name())
			.param("code", request.publicCode())
			.query(Long.class)
			.single();
		if (request.holdToken() != null) {
			this.holds.release(request.holdToken());
		}
		this.audit.record("APPOINTMENT_BOOKED", "appointment", created,
				"patient " + patient.getId() + ", staff " + request.staffId() + ", " + time.start());
		this.events.publishEvent(new AppointmentBooked(created, patient.getId(), request.staffId(), branch.getId(),
				service.getId(), time.start()));
		return created;
	}

	/**
	 * A group session: its staff member, room and time are held once for all its seats.
	 */
	private record GroupSession(long id, @Nullable Long roomId, int capacity) {
	}

	/**
	 * The group session of this staff member, service and time, created by the first seat
	 * and locked, so that seats are counted under the lock and never exceed the capacity.
	 */
	private GroupSession groupFor(long staffId, Branch branch, MedicalService service, TimeSpan time,
			@Nullable Long roomId) {
		// Seats of one staff member's groups are taken one after another: the first
		// creates the session.
		this.jdbc.sql("select pg_advisory_xact_lock(4243, :staff::int)").param("staff", staffId).query().listOfRows();
		Long room = roomId;
		if (room == null && service.getRoomKind().isPresent()) {
			room = this.jdbc.sql("""
					select room_id from group_session where staff_id = :staff and service_id = :service
					   and during = tstzrange(:start, :end, '[)')
					""")
				.param("staff", staffId)
				.param("service", service.getId())
				.param("start", utc(time.start()))
				.param("end", utc(time.end()))
				.query(Long.class)
				.optional()
				.or(() -> this.availability.freeRoom(branch.getId(), service.getRoomKind().get(), time, null, null))
				.orElseThrow(() -> new SlotTaken(nearestFree(staffId, branch, service, time.start())));
		}
		this.jdbc.sql("""
				insert into group_session (branch_id, staff_id, room_id, service_id, during, capacity)
				values (:branch, :staff, :room, :service, tstzrange(:start, :end, '[)'), :capacity)
				on conflict (staff_id, service_id, during) do nothing
				""")
			.param("branch", branch.getId())
			.param("staff", staffId)
			.param("room", room)
			.param("service", service.getId())
			.param("start", utc(time.start()))
			.param("end", utc(time.end()))
			.param("capacity", service.getCapacity())
			.update();
		GroupSession group = this.jdbc.sql("""
				select id, room_id, capacity from group_session
				 where staff_id = :staff and service_id = :service and during = tstzrange(:start, :end, '[)')
				 for update
				""")
			.param("staff", staffId)
			.param("service", service.getId())
			.param("start", utc(time.start()))
			.param("end", utc(time.end()))
			.query((rs, n) -> new GroupSession(rs.getLong(1), (Long) rs.getObject(2), rs.getInt(3)))
			.single();
		int seats = this.jdbc
			.sql("select count(*) from appointment where group_session_id = :group and status <> 'CANCELLED'")
			.param("group", group.id())
			.query(Integer.class)
			.single();
		if (seats >= group.capacity()) {
			throw new BookingRefused("GROUP_FULL");
		}
		return group;
	}

	/**
	 * Other visits of the patient that overlap a time (in any branch): the booking goes
	 * ahead, but the receptionist is warned.
	 */
	public List<Appointment> patientElsewhere(long patientId, TimeSpan time, @Nullable Long except) {
		return this.jdbc.sql("""
				select id from appointment
				 where patient_id = :patient and status <> 'CANCELLED' and during && tstzrange(:start, :end, '[)')
				   and id <> coalesce(:except, -1)
				 order by lower(during)
				""")
			.param("patient", patientId)
			.param("start", utc(time.start()))
			.param("end", utc(time.end()))
			.param("except", except)
			.query(Long.class)
			.list()
			.stream()
			.flatMap(id -> find(id).stream())
			.toList();
	}

	public Optional<Appointment> find(long id) {
		return this.jdbc.sql("""
				select id, branch_id, staff_id, room_id, patient_id, service_id, lower(during) as s, upper(during) as e,
				       status, cancel_reason, version, series_id, group_session_id
				  from appointment where id = :id
				""")
			.param("id", id)
			.query((rs, n) -> new Appointment(rs.getLong("id"), rs.getLong("branch_id"), rs.getLong("staff_id"),
					(Long) rs.getObject("room_id"), rs.getLong("patient_id"), rs.getLong("service_id"),
					new TimeSpan(rs.getObject("s", OffsetDateTime.class).toInstant(),
							rs.getObject("e", OffsetDateTime.class).toInstant()),
					AppointmentStatus.valueOf(rs.getString("status")), rs.getString("cancel_reason"),
					rs.getInt("version"), (Long) rs.getObject("series_id"), (Long) rs.getObject("group_session_id")))
			.optional();
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
		if (current.groupSessionId() != null) {
			// A seat moves by cancelling it and booking a seat in another session.
			throw new BookingRefused("GROUP_MOVE");
		}
		MedicalService service = this.services.findById(current.serviceId()).orElseThrow();
		// The visit keeps its length when it moves.
		TimeSpan time = TimeSpan.of(newStart, Duration.between(current.time().start(), current.time().end()));
		Branch branch = checkRules(newStaffId, current.branchId(), service, time);
		if (this.holds.heldByOthers(newStaffId, time, null)) {
			throw new SlotTaken(nearestFree(newStaffId, branch, service, newStart));
		}
		// The room goes along if it is free then; otherwise another room of the kind.
		Long room = service.getRoomKind()
			.map(kind -> this.availability.freeRoom(branch.getId(), kind, time, id, current.roomId())
				.orElseThrow(() -> new SlotTaken(nearestFree(newStaffId, branch, service, newStart))))
			.orElse(current.roomId());
		int updated;
		try {
			updated = this.attempt.execute(status -> {
				int rows = this.jdbc
					.sql("""
							update appointment set staff_id = :staff, room_id = :room, during = tstzrange(:start, :end, '[)'),
							       version = version + 1
							 where id = :id and version = :version
							""")
					.param("staff", newStaffId)
					.param("room", room)
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
		catch (org.springframework.dao.PessimisticLockingFailureException ex) {
			throw deadlocked(ex, newStaffId, branch, service, time.start());
		}
		if (updated == 0) {
			throw new ConcurrentChange("appointment " + id + " was changed by someone else");
		}
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
		return FreeSlots.nearest(this.availability.freeSlots(staffId, branch.getId(), service.getId(), day.minusDays(1),
				day.plusDays(7)), around, 5);
	}

	/**
	 * What a failed write means: an overlap (SQLSTATE 23P01) is "this time was just
	 * taken" with the nearest free times; anything else is passed on as it was.
	 */
	private RuntimeException taken(DataIntegrityViolationException ex, long staffId, Branch branch,
			MedicalService service, Instant around) {
		if (!isViolated(ex, null)) {
			return ex;
		}
		return new SlotTaken(nearestFree(staffId, branch, service, around));
	}

	/**
	 * Two bookings inserting overlapping times at the same moment may each wait for the
	 * other's exclusion check; PostgreSQL then aborts one with a deadlock (SQLSTATE
	 * 40P01, documented for exclusion constraints). The aborted one lost the race for
	 * that time: it is answered like any other "just taken".
	 */
	private RuntimeException deadlocked(org.springframework.dao.PessimisticLockingFailureException ex, long staffId,
			Branch branch, MedicalService service, Instant around) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && "40P01".equals(sql.getSQLState())) {
				return new SlotTaken(nearestFree(staffId, branch, service, around));
			}
		}
		return ex;
	}

	/**
	 * Whether the write broke an exclusion constraint (an overlap): any, or the one
	 * named.
	 */
	private static boolean isViolated(DataIntegrityViolationException ex, @Nullable String constraint) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && EXCLUSION_VIOLATION.equals(sql.getSQLState())) {
				return constraint == null || String.valueOf(sql.getMessage()).contains(constraint);
			}
		}
		return false;
	}

	private static OffsetDateTime utc(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

}
