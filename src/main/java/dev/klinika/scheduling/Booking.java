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

	Booking(JdbcClient jdbc, WorkingTime workingTime, MedicalServices services, StaffMembers staff, Branches branches,
			Patients patients, TransactionTemplate transaction, StaffDurations durations, SlotHolds holds,
			ApplicationEventPublisher events, AuditLog audit, CurrentUser currentUser, Clock clock) {
		this.durations = durations;
		this.holds = holds;
		this.jdbc = jdbc;
		this.workingTime = workingTime;
		this.services = services;
		this.staff = staff;
		this.branches = branches;
		this.patients = patients;
		this.attempt = new TransactionTemplate(Objects.requireNonNull(transaction.getTransactionManager()));
		this.attempt.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
		this.events = events;
		this.audit = audit;
		this.currentUser = currentUser;
		this.clock = clock;
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
			checkRoom(roomId, branch, service);
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
			roomId = freeRoom(branch.getId(), service.getRoomKind().get(), time, null, null)
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
			.param("by", actor())
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
				.or(() -> freeRoom(branch.getId(), service.getRoomKind().get(), time, null, null))
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

	/** A room of the branch that the service may use, or a refusal. */
	private void checkRoom(long roomId, Branch branch, MedicalService service) {
		boolean fits = this.jdbc.sql("""
				select count(*) > 0 from organization_room_v where id = :room and branch_id = :branch and active
				   and (:kind::varchar is null or kind = :kind)
				""")
			.param("room", roomId)
			.param("branch", branch.getId())
			.param("kind", service.getRoomKind().orElse(null))
			.query(Boolean.class)
			.single();
		if (!fits) {
			throw new BookingRefused("UNKNOWN_ROOM");
		}
	}

	/**
	 * A room of the kind in the branch that nothing else holds at that time (the
	 * preferred one first), leaving out one appointment that is moving.
	 */
	private Optional<Long> freeRoom(long branchId, String kind, TimeSpan time, @Nullable Long moving,
			@Nullable Long preferred) {
		return this.jdbc.sql("""
				select r.id from organization_room_v r
				 where r.branch_id = :branch and r.kind = :kind and r.active
				   and not exists (select 1 from appointment a where a.room_id = r.id and a.status <> 'CANCELLED'
				                      and a.during && tstzrange(:start, :end, '[)') and a.id <> coalesce(:moving, -1))
				 order by r.id = coalesce(:preferred, -1) desc, r.id
				 limit 1
				""")
			.param("branch", branchId)
			.param("kind", kind)
			.param("start", utc(time.start()))
			.param("end", utc(time.end()))
			.param("moving", moving)
			.param("preferred", preferred)
			.query(Long.class)
			.optional();
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

	public Appointment confirm(long id) {
		return change(id, AppointmentStatus.CONFIRMED, null, done -> new AppointmentConfirmed(id, done.patientId()));
	}

	public Appointment checkIn(long id) {
		return change(id, AppointmentStatus.CHECKED_IN, null, done -> new AppointmentCheckedIn(id, done.patientId()));
	}

	public Appointment start(long id) {
		return change(id, AppointmentStatus.IN_PROGRESS, null, null);
	}

	public Appointment complete(long id) {
		return change(id, AppointmentStatus.COMPLETED, null, done -> new AppointmentCompleted(id, done.patientId(),
				done.staffId(), done.serviceId(), done.time().start()));
	}

	public Appointment markNoShow(long id) {
		return change(id, AppointmentStatus.NO_SHOW, null,
				done -> new AppointmentNoShow(id, done.patientId(), done.staffId(), done.time().start()));
	}

	/** Cancels with a reason from the clinic's list; the time is free again at once. */
	public Appointment cancel(long id, String reason) {
		CancelReason.of(reason);
		return change(id, AppointmentStatus.CANCELLED, reason,
				done -> new AppointmentCancelled(id, done.patientId(), done.staffId(), done.time().start(), reason));
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
			.map(kind -> freeRoom(branch.getId(), kind, time, id, current.roomId())
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
	 * Free start times of every active staff member of a branch (or those with a
	 * specialty) for a visit of some length over some days: the raw engine under the
	 * service-aware answer below. Two queries whatever the number of staff, then the pure
	 * {@link FreeSlots} per person.
	 */
	public Map<Long, List<Instant>> freeSlotsInBranch(long branchId, @Nullable Long specialtyId, Duration duration,
			LocalDate from, LocalDate to) {
		List<Long> staffIds = staffOfBranch(branchId, specialtyId);
		return freeSlots(branchId, staffIds, id -> duration, from, to);
	}

	/**
	 * Free start times for a service in a branch, by staff member: with each one's own
	 * duration, only where a room of the kind the service needs is free, and with the
	 * seats left in group sessions already planned. "Any specialist" when {@code staffId}
	 * is null.
	 */
	public Map<Long, List<Instant>> freeSlotsFor(long branchId, long serviceId, @Nullable Long staffId, LocalDate from,
			LocalDate to) {
		MedicalService service = this.services.findById(serviceId).orElseThrow();
		List<Long> staffIds = staffId != null ? List.of(staffId) : staffOfBranch(branchId, service.getSpecialtyId());
		Map<Long, Duration> durations = this.durations.of(staffIds, service);
		Map<Long, List<Instant>> free = freeSlots(branchId, staffIds, durations::get, from, to);
		if (service.getRoomKind().isEmpty() && !service.isGroup()) {
			return free;
		}
		ZoneId zone = this.branches.findById(branchId).orElseThrow().getZone();
		TimeSpan window = new TimeSpan(from.atStartOfDay(zone).toInstant(),
				to.plusDays(2).atStartOfDay(zone).toInstant());
		Map<Long, List<TimeSpan>> rooms = service.getRoomKind()
			.map(kind -> roomsBusy(branchId, kind, window))
			.orElse(null);
		Map<Long, List<Instant>> groups = service.isGroup() ? openGroups(service, staffIds, window) : Map.of();
		Instant now = this.clock.instant();
		Map<Long, List<Instant>> answer = new java.util.LinkedHashMap<>();
		free.forEach((id, starts) -> {
			Duration length = durations.get(id);
			java.util.TreeSet<Instant> all = new java.util.TreeSet<>();
			starts.stream()
				.filter(start -> rooms == null || anyRoomFree(rooms, TimeSpan.of(start, length)))
				.forEach(all::add);
			groups.getOrDefault(id, List.of()).stream().filter(start -> start.isAfter(now)).forEach(all::add);
			answer.put(id, List.copyOf(all));
		});
		return answer;
	}

	/** Free start times for a service with a staff member in a branch over some days. */
	public List<Instant> freeSlots(long staffId, long branchId, long serviceId, LocalDate from, LocalDate to) {
		return freeSlotsFor(branchId, serviceId, staffId, from, to).getOrDefault(staffId, List.of());
	}

	private Map<Long, List<Instant>> freeSlots(long branchId, List<Long> staffIds,
			java.util.function.Function<Long, Duration> duration, LocalDate from, LocalDate to) {
		Branch branch = this.branches.findById(branchId).orElseThrow();
		ZoneId zone = branch.getZone();
		Map<Long, List<TimeSpan>> shifts = this.workingTime.shifts(staffIds, branchId, from, to, zone);
		// A night shift that starts on the last day may run past its midnight.
		TimeSpan window = new TimeSpan(from.atStartOfDay(zone).toInstant(),
				to.plusDays(2).atStartOfDay(zone).toInstant());
		Map<Long, List<TimeSpan>> busy = this.workingTime.busy(staffIds, window);
		Instant now = this.clock.instant();
		Map<Long, List<Instant>> free = new java.util.LinkedHashMap<>();
		for (Long staffId : staffIds) {
			List<TimeSpan> own = shifts.get(staffId);
			if (own != null) {
				free.put(staffId,
						FreeSlots.find(own, busy.getOrDefault(staffId, List.of()), duration.apply(staffId), GRID, zone)
							.stream()
							.filter(start -> start.isAfter(now))
							.toList());
			}
		}
		return free;
	}

	private List<Long> staffOfBranch(long branchId, @Nullable Long specialtyId) {
		return this.jdbc.sql("""
				select s.id from organization_staff_v s join organization_staff_branch_v sb on sb.staff_id = s.id
				 where sb.branch_id = :branch and s.dismissed_on is null
				   and (:specialty::bigint is null or exists (select 1 from organization_staff_specialty_v ss
				        where ss.staff_id = s.id and ss.specialty_id = :specialty))
				 order by s.id
				""").param("branch", branchId).param("specialty", specialtyId).query(Long.class).list();
	}

	/** Busy time of each room of a kind in a branch; a kind with no room has no entry. */
	private Map<Long, List<TimeSpan>> roomsBusy(long branchId, String kind, TimeSpan window) {
		Map<Long, List<TimeSpan>> rooms = new java.util.HashMap<>();
		this.jdbc.sql("select id from organization_room_v where branch_id = :branch and kind = :kind and active")
			.param("branch", branchId)
			.param("kind", kind)
			.query(Long.class)
			.list()
			.forEach(room -> rooms.put(room, new java.util.ArrayList<>()));
		if (rooms.isEmpty()) {
			return rooms;
		}
		this.jdbc.sql("""
				select room_id, lower(during) as s, upper(during) as e from appointment
				 where room_id in (:rooms) and status <> 'CANCELLED' and during && tstzrange(:from, :to, '[)')
				""")
			.param("rooms", List.copyOf(rooms.keySet()))
			.param("from", utc(window.start()))
			.param("to", utc(window.end()))
			.query((rs, n) -> Map.entry(rs.getLong(1),
					new TimeSpan(rs.getObject(2, OffsetDateTime.class).toInstant(),
							rs.getObject(3, OffsetDateTime.class).toInstant())))
			.list()
			.forEach(row -> rooms.get(row.getKey()).add(row.getValue()));
		return rooms;
	}

	private static boolean anyRoomFree(Map<Long, List<TimeSpan>> rooms, TimeSpan time) {
		return rooms.values().stream().anyMatch(busy -> busy.stream().noneMatch(time::overlaps));
	}

	/**
	 * Start times of group sessions of the service that still have a seat, by staff
	 * member.
	 */
	private Map<Long, List<Instant>> openGroups(MedicalService service, List<Long> staffIds, TimeSpan window) {
		return this.jdbc.sql("""
				select g.staff_id, lower(g.during) as s from group_session g
				 where g.service_id = :service and g.staff_id in (:staff) and g.during && tstzrange(:from, :to, '[)')
				   and (select count(*) from appointment a where a.group_session_id = g.id and a.status <> 'CANCELLED')
				       between 1 and g.capacity - 1
				""")
			.param("service", service.getId())
			.param("staff", staffIds)
			.param("from", utc(window.start()))
			.param("to", utc(window.end()))
			.query((rs, n) -> Map.entry(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant()))
			.list()
			.stream()
			.collect(java.util.stream.Collectors.groupingBy(Map.Entry::getKey,
					java.util.stream.Collectors.mapping(Map.Entry::getValue, java.util.stream.Collectors.toList())));
	}

	/**
	 * Moves the appointment to its next state and publishes what happened in the same
	 * transaction, so that the modules listening after the commit (reminders, tasks) hear
	 * it exactly when it is true.
	 */
	private Appointment change(long id, AppointmentStatus next, @Nullable String reason,
			java.util.function.@Nullable Function<Appointment, Object> event) {
		// A new row version is checked against the exclusion constraints again; a booking
		// of
		// the same time in flight may deadlock with it, and PostgreSQL aborts one: try
		// again.
		for (int attempt = 1;; attempt++) {
			try {
				return changeOnce(id, next, reason, event);
			}
			catch (org.springframework.dao.PessimisticLockingFailureException ex) {
				if (attempt == 3) {
					throw ex;
				}
			}
		}
	}

	private Appointment changeOnce(long id, AppointmentStatus next, @Nullable String reason,
			java.util.function.@Nullable Function<Appointment, Object> event) {
		return this.attempt.execute(status -> {
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
			Appointment done = find(id).orElseThrow();
			if (event != null) {
				this.events.publishEvent(event.apply(done));
			}
			return done;
		});
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
		return FreeSlots.nearest(freeSlots(staffId, branch.getId(), service.getId(), day.minusDays(1), day.plusDays(7)),
				around, 5);
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

	private String actor() {
		return this.currentUser.get().map(KlinikaUser::getUsername).orElse("system");
	}

	private static OffsetDateTime utc(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

}
