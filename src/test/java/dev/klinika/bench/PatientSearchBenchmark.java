package dev.klinika.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.klinika.KlinikaApplication;
import dev.klinika.patients.PatientSearch;
import dev.klinika.security.BranchScope;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The patient search on a base of {@code klinika.bench.patients} (default 1,000,000)
 * generated patients: names with a typo, whole phones, last four digits, and the caller
 * lookup. Run with {@code ./mvnw -Pbench verify}; results go to
 * target/bench/patient-search.md.
 */
@Tag("bench")
class PatientSearchBenchmark {

	static final int PATIENTS = Integer.getInteger("klinika.bench.patients", 1_000_000);

	static final int RUNS = Integer.getInteger("klinika.bench.runs", 1000);

	@Test
	void measuresSearchOnAMillionPatients() throws Exception {
		long started = System.nanoTime();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(KlinikaApplication.class)
			.profiles("test")
			.run("--server.port=0", "--spring.jmx.enabled=false", "--klinika.embedded-db.database=klinika_bench",
					"--klinika.demo.enabled=true", "--klinika.demo.patients=" + PATIENTS)) {
			long generated = (System.nanoTime() - started) / 1_000_000;
			JdbcClient jdbc = context.getBean(JdbcClient.class);
			jdbc.sql("analyze").update();
			long count = jdbc.sql("select count(*) from patient").query(Long.class).single();
			assertThat(count).isGreaterThanOrEqualTo(PATIENTS);
			PatientSearch search = context.getBean(PatientSearch.class);
			Random random = new Random(42);

			List<String> names = jdbc.sql("""
					select surname || ' ' || name from patient tablesample system (1) limit :n
					""").param("n", RUNS).query(String.class).list();
			List<String> phones = jdbc.sql("select number from patient_phone tablesample system (1) limit :n")
				.param("n", RUNS)
				.query(String.class)
				.list();

			Latencies baseline = new Latencies("baseline: `select 1` round trip", RUNS);
			Latencies typo = new Latencies("name with a typo (\"Иванва Мар\"), page of 50", RUNS);
			Latencies prefix = new Latencies("surname as typed so far (\"Петро\")", RUNS);
			Latencies whole = new Latencies("whole phone, any format", RUNS);
			Latencies suffix = new Latencies("last 4 digits of a phone", RUNS);
			Latencies caller = new Latencies("caller lookup: patient ids by E.164", RUNS);
			for (int warmup = 0; warmup < 200; warmup++) {
				search.search(withTypo(names.get(warmup % names.size()), random), BranchScope.everything(), 0, 50);
				search.search(phones.get(warmup % phones.size()), BranchScope.everything(), 0, 50);
			}
			for (int i = 0; i < RUNS; i++) {
				String name = names.get(i % names.size());
				String phone = phones.get(i % phones.size());
				baseline.time(() -> jdbc.sql("select 1").query(Integer.class).single());
				typo.time(() -> search.search(withTypo(name, random), BranchScope.everything(), 0, 50));
				String surname = name.substring(0, name.indexOf(' '));
				prefix.time(() -> search.search(surname.substring(0, Math.min(5, surname.length())),
						BranchScope.everything(), 0, 50));
				whole.time(() -> search.search("8 " + phone.substring(2), BranchScope.everything(), 0, 50));
				suffix.time(() -> search.search(phone.substring(phone.length() - 4), BranchScope.everything(), 0, 50));
				caller.time(() -> jdbc.sql("select patient_id from patient_phone where number = :n")
					.param("n", phone)
					.query(Long.class)
					.list());
			}
			String report = "Patients: " + count + "; generating them and starting took " + generated + " ms\n\n"
					+ Latencies.header() + "\n"
					+ String.join("\n",
							List.of(baseline.row(), typo.row(), prefix.row(), whole.row(), suffix.row(), caller.row()))
					+ "\n";
			Path out = Path.of("target/bench/patient-search.md");
			Files.createDirectories(out.getParent());
			Files.writeString(out, report);
			System.out.println(report);
			List<String> misses = new ArrayList<>();
			if (typo.percentile(95) >= 50) {
				misses.add("name search p95 " + typo.percentile(95) + " ms");
			}
			if (whole.percentile(95) >= 10) {
				misses.add("phone lookup p95 " + whole.percentile(95) + " ms");
			}
			System.out.println(misses.isEmpty() ? "Targets met." : "Targets missed: " + misses);
		}
	}

	/** Drops one letter of the surname and keeps the first three letters of the name. */
	static String withTypo(String fullName, Random random) {
		String[] parts = fullName.split(" ");
		String surname = parts[0];
		int drop = 1 + random.nextInt(surname.length() - 1);
		String typo = surname.substring(0, drop) + surname.substring(drop + 1);
		return typo + " " + parts[1].substring(0, Math.min(3, parts[1].length()));
	}

}
