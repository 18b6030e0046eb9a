package dev.klinika.scheduling;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import dev.klinika.catalog.MedicalService;
import dev.klinika.catalog.MedicalServices;
import dev.klinika.organization.Branches;
import dev.klinika.security.CurrentUser;

/**
 * A course booked in one step: N sessions of a service on chosen weekdays at one time,
 * with one specialist or whoever is free. Every session is checked first; a course books
 * whole or not at all, and each session that does not fit is listed with the nearest free
 * times that day. Later, one session or the rest of the course moves or is cancelled at
 * once.
 */
@Service
class Courses {

	/** The longest course one step books. */
	public static final int MAX_SESSIONS = 50;

	private final Booking booking;

	private final AppointmentLifecycle lifecycle;

	private final Availability availability;

	private final MedicalServices services;

	private final Branches branches;

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	private final CurrentUser currentUser;

	Courses(Booking booking, AppointmentLifecycle lifecycle, Availability availability, MedicalServices services,
			Branches branches, JdbcClient jdbc, TransactionTemplate transaction, CurrentUser currentUser) {
		this.booking = booking;
		this.lifecycle = lifecycle;
		this.availability = availability;
		this.services = services;
		this.branches = branches;
		this.jdbc = jdbc;
		this.transaction = transaction;
		this.currentUser = currentUser;
	}

	/**
	 * What a course needs: the staff member, or {@code null} for anyone qualified (the
	 * same one for every session when they can).
	 */
	public record Request(long patientId, long serviceId, long branchId, @Nullable Long staffId, LocalDate firstDay,
			Set<DayOfWeek> days, LocalTime time, int sessions) {
	}

	/**
	 * One session of the course: when, with whom, and if it does not fit, why and the
	 * nearest free times that day.
	 */
	public record Session(int number, LocalDate day, Instant start, @Nullable Long staffId, @Nullable String problem,
			List<Instant> alternatives, @Nullable Long appointmentId) {

		public boolean fits() {
			return this.problem == null;
		}

	}

	/** The course as planned or booked. */
	public record Plan(@Nullable Long seriesId, List<Session> sessions) {

		public boolean bookable() {
			return this.sessions.stream().allMatch(Session::fits);
		}

		public long conflicts() {
			return this.sessions.stream().filter(session -> !session.fits()).count();
		}

	}

	/** Checks every session of the course against the free times; books nothing. */
	public Plan plan(Request request) {
		MedicalService service = this.services.findById(request.serviceId())
			.filter(MedicalService::isActive)
			.orElseThrow(() -> new BookingRefused("SERVICE_INACTIVE"));
		if (request.sessions() < 1 || request.sessions() > MAX_SESSIONS || request.days().isEmpty()) {
			throw new BookingRefused("COURSE");
		}
		ZoneId zone = this.branches.findById(request.branchId())
			.orElseThrow(() -> new BookingRefused("UNKNOWN_BRANCH"))
			.getZone();
		List<LocalDate> days = new ArrayList<>();
		for (LocalDate day = request.firstDay(); days.size() < request.sessions(); day = day.plusDays(1)) {
			if (request.days().contains(day.getDayOfWeek())) {
				days.add(day);
			}
		}
		LocalDate last = days.get(days.size() - 1);
		if (last.isAfter(request.firstDay().plusMonths(6))) {
			throw new BookingRefused("COURSE");
		}
		Map<Long, List<Instant>> free = this.availability.freeSlotsFor(request.branchId(), service.getId(),
				request.staffId(), request.firstDay(), last);
		List<Session> sessions = new ArrayList<>();
		// The course stays with one specialist wherever that one is free: the first one
		// chosen.
		Long main = request.staffId();
		for (int i = 0; i < days.size(); i++) {
			LocalDate day = days.get(i);
			Instant start = BranchTime.local(day, request.time(), zone);
			Long chosen = pick(free, start, main);
			if (chosen != null) {
				main = main == null ? chosen : main;
				sessions.add(new Session(i + 1, day, start, chosen, null, List.of(), null));
			}
			else {
				sessions.add(new Session(i + 1, day, start, request.staffId(), "TAKEN",
						nearest(free, request.staffId(), day, zone, start), null));
			}
		}
		return new Plan(null, sessions);
	}

	/**
	 * Books the whole course in one transaction, or nothing: the answer then lists each
	 * session that does not fit, with alternatives.
	 */
	public Plan book(Request request) {
		Plan plan = plan(request);
		if (!plan.bookable()) {
			return plan;
		}
		try {
			return this.transaction.execute(status -> {
				long series = this.jdbc
					.sql("""
							insert into appointment_series (patient_id, service_id, created_by) values (:patient, :service, :by)
							returning id
							""")
					.param("patient", request.patientId())
					.param("service", request.serviceId())
					.param("by", this.currentUser.actor())
					.query(Long.class)
					.single();
				List<Session> booked = new ArrayList<>();
				for (Session session : plan.sessions()) {
					Appointment appointment = this.booking
						.book(new Booking.Request(request.patientId(), request.serviceId(), session.staffId(),
								request.branchId(), session.start(), null, Booking.Source.STAFF, null, series));
					booked.add(new Session(session.number(), session.day(), session.start(), session.staffId(), null,
							List.of(), appointment.id()));
				}
				return new Plan(series, booked);
			});
		}
		catch (SlotTaken | BookingRefused ex) {
			// Someone took one of the times meanwhile; nothing was booked. Show the
			// course again.
			return plan(request);
		}
	}

	/** The sessions of a course, in order. */
	public List<Appointment> sessions(long seriesId) {
		return this.jdbc.sql("select id from appointment where series_id = :series order by lower(during)")
			.param("series", seriesId)
			.query(Long.class)
			.list()
			.stream()
			.flatMap(id -> this.booking.find(id).stream())
			.toList();
	}

	/**
	 * Cancels this session and every later one of the course that is still ahead; answers
	 * how many.
	 */
	public int cancelRest(long appointmentId, String reason) {
		List<Appointment> rest = rest(appointmentId);
		this.transaction.executeWithoutResult(status -> rest.forEach(a -> this.lifecycle.cancel(a.id(), reason)));
		return rest.size();
	}

	/**
	 * Moves this session and every later one by the same shift (e.g. all from 10:00 to
	 * 11:00, or from Monday to Tuesday), to the same or another staff member: all or
	 * none.
	 */
	public int moveRest(long appointmentId, Instant newStart, long staffId) {
		List<Appointment> rest = rest(appointmentId);
		java.time.Duration shift = java.time.Duration.between(rest.get(0).time().start(), newStart);
		// Later sessions first when moving later, so that a session never lands on its
		// own neighbour.
		List<Appointment> order = new ArrayList<>(rest);
		if (!shift.isNegative()) {
			order.sort(Comparator.comparing((Appointment a) -> a.time().start()).reversed());
		}
		this.transaction.executeWithoutResult(
				status -> order.forEach(a -> this.booking.move(a.id(), a.time().start().plus(shift), staffId)));
		return rest.size();
	}

	private List<Appointment> rest(long appointmentId) {
		Appointment first = this.booking.find(appointmentId).orElseThrow();
		if (first.seriesId() == null) {
			return List.of(first);
		}
		return sessions(first.seriesId()).stream()
			.filter(a -> !a.time().start().isBefore(first.time().start()))
			.filter(a -> a.status().movable())
			.toList();
	}

	private static @Nullable Long pick(Map<Long, List<Instant>> free, Instant start, @Nullable Long preferred) {
		if (preferred != null && free.getOrDefault(preferred, List.of()).contains(start)) {
			return preferred;
		}
		return free.entrySet()
			.stream()
			.filter(entry -> entry.getValue().contains(start))
			.map(Map.Entry::getKey)
			.findFirst()
			.orElse(null);
	}

	/** The free start times of that day nearest to the wanted one, at most five. */
	private static List<Instant> nearest(Map<Long, List<Instant>> free, @Nullable Long staffId, LocalDate day,
			ZoneId zone, Instant wanted) {
		return FreeSlots.nearest(free.entrySet()
			.stream()
			.filter(entry -> staffId == null || entry.getKey().equals(staffId))
			.flatMap(entry -> entry.getValue().stream())
			.filter(start -> start.atZone(zone).toLocalDate().equals(day))
			.toList(), wanted, 5);
	}

}
