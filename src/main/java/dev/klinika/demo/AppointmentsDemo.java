package dev.klinika.demo;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.klinika.organization.Branches;
import dev.klinika.scheduling.AppointmentBulkInsert;
import dev.klinika.scheduling.AppointmentStatus;
import dev.klinika.scheduling.TimeSpan;
import dev.klinika.scheduling.WorkingTime;

/**
 * A year of past and a month of future appointments along every demo shift, filled to
 * about three quarters, back to back as a busy clinic's day is: past visits mostly
 * completed, with realistic no-shows (~8 %) and cancellations (~6 %); future ones booked
 * or confirmed. {@code klinika.demo.appointments} caps how many (1,000,000 for
 * benchmarks).
 */
@Component
@Order(6)
class AppointmentsDemo implements DemoStep {

	private static final Logger log = LoggerFactory.getLogger(AppointmentsDemo.class);

	static final int CHUNK = 20_000;

	private final WorkingTime workingTime;

	private final AppointmentBulkInsert bulk;

	private final Branches branches;

	private final JdbcClient jdbc;

	AppointmentsDemo(WorkingTime workingTime, AppointmentBulkInsert bulk, Branches branches, JdbcClient jdbc) {
		this.workingTime = workingTime;
		this.bulk = bulk;
		this.branches = branches;
		this.jdbc = jdbc;
	}

	@Override
	public void generate(DemoContext context) {
		int limit = context.properties.appointments();
		List<Long> patients = this.jdbc.sql("select id from patients_card_v where merged_into is null order by id")
			.query(Long.class)
			.list();
		if (limit == 0 || patients.isEmpty()) {
			return;
		}
		long started = System.nanoTime();
		Random random = context.random;
		LocalDate today = LocalDate.now();
		// With many appointments asked for, go further back in time rather than
		// overfilling days.
		// About five visits a staff member a calendar day fill three quarters of a shift:
		// go further
		// back than a year only when more are asked for, and give every staff member an
		// equal share.
		int staffCount = Math.max(1, context.staffBranches.size());
		int daysBack = Math.max(365, limit / (staffCount * 5));
		int share = limit / staffCount + 1;
		Instant now = Instant.now();
		// The services sold as packages of visits, with how many: a massage therapist's
		// or an exercise-therapy instructor's day is mostly courses.
		Map<Long, Integer> courseVisits = new java.util.HashMap<>();
		this.jdbc.sql("select service_id, visits from catalog_package_v where kind = 'VISITS' and active")
			.query((rs, n) -> courseVisits.put(rs.getLong(1), rs.getInt(2)))
			.list();
		List<AppointmentBulkInsert.Row> rows = new ArrayList<>();
		int written = 0;
		for (Map.Entry<Long, List<Long>> staff : context.staffBranches.entrySet()) {
			int mine = 0;
			List<long[]> services = this.jdbc
				.sql("""
						select s.id, s.duration_minutes from catalog_service_v s join organization_staff_specialty_v ss on ss.specialty_id = s.specialty_id
						 where ss.staff_id = :staff and s.active and s.duration_minutes <= 120
						""")
				.param("staff", staff.getKey())
				.query((rs, n) -> new long[] { rs.getLong(1), rs.getLong(2) })
				.list();
			if (services.isEmpty()) {
				continue;
			}
			List<long[]> courseServices = services.stream().filter(s -> courseVisits.containsKey(s[0])).toList();
			Course[] courses = new Course[COURSES];
			for (long branch : staff.getValue()) {
				ZoneId zone = this.branches.findById(branch).orElseThrow().getZone();
				List<TimeSpan> shifts = new ArrayList<>(this.workingTime.shifts(staff.getKey(), branch,
						today.minusDays(daysBack), today.plusDays(30), zone));
				// The coming month and the recent past first: a staff member's share runs
				// out in the old days.
				java.util.Collections.reverse(shifts);
				for (TimeSpan shift : shifts) {
					Instant cursor = shift.start();
					while (written + rows.size() < limit && mine < share) {
						long[] service = services.get(random.nextInt(services.size()));
						long patient = patients.get(random.nextInt(patients.size()));
						// Seven visits in ten of such a staff member go to one of their
						// running courses: each patient comes to the slot's course until
						// its visits are done, then the slot takes a new patient.
						Course course = null;
						if (!courseServices.isEmpty() && (mine * 7) % 10 < 7) {
							int slot = mine % COURSES;
							if (courses[slot] == null || courses[slot].left == 0) {
								long[] chosen = courseServices.get((int) (patient % courseServices.size()));
								courses[slot] = new Course(patient, chosen, courseVisits.get(chosen[0]));
							}
							course = courses[slot];
							service = course.service;
							patient = course.patient;
						}
						Instant end = cursor.plus(Duration.ofMinutes(service[1]));
						if (end.isAfter(shift.end())) {
							break;
						}
						if (random.nextInt(100) < 75) {
							boolean past = end.isBefore(now);
							AppointmentStatus status = status(random, past);
							if (course != null) {
								course.left--;
							}
							rows.add(new AppointmentBulkInsert.Row(branch, staff.getKey(), patient, service[0],
									new TimeSpan(cursor, end), status,
									status == AppointmentStatus.CANCELLED ? "PATIENT_ASKED" : null, "demo"));
							mine++;
						}
						cursor = end;
					}
					if (rows.size() >= CHUNK) {
						this.bulk.insert(rows);
						written += rows.size();
						rows.clear();
					}
				}
			}
		}
		this.bulk.insert(rows);
		written += rows.size();
		log.info("Generated {} demo appointments in {} ms", written, (System.nanoTime() - started) / 1_000_000);
	}

	/** Course slots a staff member runs at once. */
	static final int COURSES = 6;

	/**
	 * A course in one of a staff member's slots: whose, of what, visits still to come.
	 */
	private static final class Course {

		final long patient;

		final long[] service;

		int left;

		Course(long patient, long[] service, int left) {
			this.patient = patient;
			this.service = service;
			this.left = left;
		}

	}

	private static AppointmentStatus status(Random random, boolean past) {
		int dice = random.nextInt(100);
		if (past) {
			return dice < 8 ? AppointmentStatus.NO_SHOW
					: dice < 14 ? AppointmentStatus.CANCELLED : AppointmentStatus.COMPLETED;
		}
		return dice < 5 ? AppointmentStatus.CANCELLED
				: dice < 35 ? AppointmentStatus.CONFIRMED : AppointmentStatus.BOOKED;
	}

}
