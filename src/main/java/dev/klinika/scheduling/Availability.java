package dev.klinika.scheduling;

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

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import dev.klinika.catalog.MedicalService;
import dev.klinika.catalog.MedicalServices;
import dev.klinika.organization.Branch;
import dev.klinika.organization.Branches;

/**
 * What is free: start times of staff members (with each one's duration for a service,
 * only where a room of the kind is free, with the seats left in group sessions), and the
 * room a visit may take. {@link FreeSlots} is the pure engine underneath; {@link Booking}
 * asks here for the room to take and for the nearest free times of a refusal.
 */
@Service
public class Availability {

	private final JdbcClient jdbc;

	private final WorkingTime workingTime;

	private final MedicalServices services;

	private final Branches branches;

	private final StaffDurations durations;

	private final Clock clock;

	Availability(JdbcClient jdbc, WorkingTime workingTime, MedicalServices services, Branches branches,
			StaffDurations durations, Clock clock) {
		this.jdbc = jdbc;
		this.workingTime = workingTime;
		this.services = services;
		this.branches = branches;
		this.durations = durations;
		this.clock = clock;
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
				free.put(staffId, FreeSlots
					.find(own, busy.getOrDefault(staffId, List.of()), duration.apply(staffId), Booking.GRID, zone)
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

	/** A room of the branch that the service may use, or a refusal. */
	void checkRoom(long roomId, Branch branch, MedicalService service) {
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
	Optional<Long> freeRoom(long branchId, String kind, TimeSpan time, @Nullable Long moving,
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

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
