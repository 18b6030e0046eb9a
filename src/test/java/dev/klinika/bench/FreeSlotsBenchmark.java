package dev.klinika.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.klinika.KlinikaApplication;
import dev.klinika.scheduling.Availability;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Free slots for one branch and one week, every staff member of the branch (50 with
 * {@code klinika.demo.staff=150}), on a base of {@code klinika.bench.appointments}
 * (default 1,000,000) appointments. Run with
 * {@code ./mvnw -Pbench verify -Dtest=FreeSlotsBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("bench")
class FreeSlotsBenchmark {

	static final int APPOINTMENTS = Integer.getInteger("klinika.bench.appointments", 1_000_000);

	static final int RUNS = Integer.getInteger("klinika.bench.runs", 300);

	@Test
	void measuresABranchWeekOfFreeSlots() throws Exception {
		long started = System.nanoTime();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(KlinikaApplication.class)
			.profiles("test")
			.run("--server.port=0", "--spring.jmx.enabled=false", "--klinika.embedded-db.database=klinika_slots_bench",
					"--klinika.demo.enabled=true", "--klinika.demo.staff=150", "--klinika.demo.patients=20000",
					"--klinika.demo.appointments=" + APPOINTMENTS)) {
			long generated = (System.nanoTime() - started) / 1_000_000;
			JdbcClient jdbc = context.getBean(JdbcClient.class);
			jdbc.sql("analyze").update();
			long appointments = jdbc.sql("select count(*) from appointment").query(Long.class).single();
			List<Long> branches = jdbc.sql("select id from branch order by id").query(Long.class).list();
			long staffInBranch = jdbc.sql("select count(*) from staff_branch where branch_id = :b")
				.param("b", branches.get(0))
				.query(Long.class)
				.single();
			Availability booking = context.getBean(Availability.class);
			Random random = new Random(3);
			Latencies baseline = new Latencies("baseline: `select 1` round trip", RUNS);
			Latencies week = new Latencies("one branch, one week, every staff member, 30-min visit", RUNS);
			Latencies day = new Latencies("one branch, one day, every staff member, 30-min visit", RUNS);
			Latencies service = new Latencies(
					"one branch, one week, a service with anyone qualified (own durations, groups)", RUNS);
			Latencies room = new Latencies("one branch, one week, an X-ray that needs its room, anyone qualified",
					RUNS);
			long massage = jdbc.sql("select id from service where code = 'MAS-BACK'").query(Long.class).single();
			long xray = jdbc.sql("select id from service where code = 'DIA-XRAY-SP'").query(Long.class).single();
			LocalDate monday = LocalDate.now().with(DayOfWeek.MONDAY);
			for (int warmup = 0; warmup < 30; warmup++) {
				booking.freeSlotsInBranch(branches.get(warmup % branches.size()), null, Duration.ofMinutes(30), monday,
						monday.plusDays(6));
			}
			int slots = 0;
			for (int i = 0; i < RUNS; i++) {
				long branch = branches.get(random.nextInt(branches.size()));
				LocalDate from = monday.plusWeeks(random.nextInt(4));
				baseline.time(() -> jdbc.sql("select 1").query(Integer.class).single());
				int[] found = new int[1];
				week.time(() -> found[0] = booking
					.freeSlotsInBranch(branch, null, Duration.ofMinutes(30), from, from.plusDays(6))
					.values()
					.stream()
					.mapToInt(List::size)
					.sum());
				slots += found[0];
				LocalDate oneDay = from.plusDays(random.nextInt(5));
				day.time(() -> booking.freeSlotsInBranch(branch, null, Duration.ofMinutes(30), oneDay, oneDay));
				service.time(() -> booking.freeSlotsFor(branch, massage, null, from, from.plusDays(6)));
				room.time(() -> booking.freeSlotsFor(branch, xray, null, from, from.plusDays(6)));
			}
			assertThat(slots).isPositive();
			String report = "Appointments: " + appointments + "; staff in a branch: " + staffInBranch
					+ "; generating and starting took " + generated + " ms; free slots found per week on average: "
					+ slots / RUNS + "\n\n" + Latencies.header() + "\n" + baseline.row() + "\n" + week.row() + "\n"
					+ day.row() + "\n" + service.row() + "\n" + room.row() + "\n";
			Path out = Path.of("target/bench/free-slots.md");
			Files.createDirectories(out.getParent());
			Files.writeString(out, report);
			System.out.println(report);
		}
	}

}
