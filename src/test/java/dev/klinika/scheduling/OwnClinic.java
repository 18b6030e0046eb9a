package dev.klinika.scheduling;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A corner of the demo clinic that only one test uses: a new branch and specialty, two
 * staff members on Mon-Fri 9-18 there, one room of a kind the demo has none of (DEVICE),
 * an individual service that needs that room, a plain 30-minute service, and a group of
 * three seats in the same room.
 */
record OwnClinic(long branch, ZoneId zone, long first, long second, long room, long roomService, long plainService,
		long groupService, List<Long> patients) {

	static OwnClinic create(JdbcClient jdbc, WorkPatterns patterns) {
		String tag = UUID.randomUUID().toString().substring(0, 8);
		ZoneId zone = ZoneId.of("Europe/Moscow");
		long branch = jdbc.sql("""
				insert into branch (name, address, time_zone) values (:name, 'Тестовая, 1', :zone) returning id
				""").param("name", "Филиал " + tag).param("zone", zone.getId()).query(Long.class).single();
		long specialty = jdbc.sql("insert into specialty (name) values (:name) returning id")
			.param("name", "Тест " + tag)
			.query(Long.class)
			.single();
		long first = staff(jdbc, "Первая" + tag, specialty, branch);
		long second = staff(jdbc, "Второй" + tag, specialty, branch);
		List<WorkPatterns.Stretch> weekdays = java.util.stream.IntStream.range(0, 5)
			.mapToObj(day -> new WorkPatterns.Stretch(day, LocalTime.of(9, 0), LocalTime.of(18, 0)))
			.toList();
		LocalDate monday = LocalDate.now(zone).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
		patterns.set(first, branch, monday, 7, weekdays);
		patterns.set(second, branch, monday, 7, weekdays);
		long room = jdbc.sql("insert into room (branch_id, name, kind) values (:branch, :name, 'DEVICE') returning id")
			.param("branch", branch)
			.param("name", "Аппарат " + tag)
			.query(Long.class)
			.single();
		long roomService = service(jdbc, "R" + tag, specialty, 30, "DEVICE", 1);
		long plainService = service(jdbc, "P" + tag, specialty, 30, null, 1);
		long groupService = service(jdbc, "G" + tag, specialty, 60, "DEVICE", 3);
		List<Long> patients = jdbc
			.sql("select id from patient where merged_into is null and erased_at is null order by id desc limit 40")
			.query(Long.class)
			.list();
		return new OwnClinic(branch, zone, first, second, room, roomService, plainService, groupService, patients);
	}

	/**
	 * A weekday at a time, {@code weeks} weeks ahead (beyond the demo's booked month).
	 */
	java.time.Instant at(int weeks, DayOfWeek day, int hour, int minute) {
		return LocalDate.now(this.zone)
			.plusWeeks(weeks)
			.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
			.with(TemporalAdjusters.nextOrSame(day))
			.atTime(hour, minute)
			.atZone(this.zone)
			.toInstant();
	}

	private static long staff(JdbcClient jdbc, String surname, long specialty, long branch) {
		long id = jdbc
			.sql("insert into staff (surname, name, position) values (:surname, 'Тест', 'Специалист') returning id")
			.param("surname", surname)
			.query(Long.class)
			.single();
		jdbc.sql("insert into staff_specialty (staff_id, specialty_id) values (:id, :specialty)")
			.param("id", id)
			.param("specialty", specialty)
			.update();
		jdbc.sql("insert into staff_branch (staff_id, branch_id) values (:id, :branch)")
			.param("id", id)
			.param("branch", branch)
			.update();
		return id;
	}

	private static long service(JdbcClient jdbc, String code, long specialty, int minutes, String roomKind,
			int capacity) {
		return jdbc.sql("""
				insert into service (code, name, specialty_id, duration_minutes, room_kind, capacity)
				values (:code, :code, :specialty, :minutes, :kind, :capacity) returning id
				""")
			.param("code", code)
			.param("specialty", specialty)
			.param("minutes", minutes)
			.param("kind", roomKind)
			.param("capacity", capacity)
			.query(Long.class)
			.single();
	}

}
