package dev.klinika.bench;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetailsService;

import dev.klinika.KlinikaApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Imports a generated CSV of {@code klinika.bench.import-rows} (default 100,000) patients
 * into a base that already has 5,000: the dry run and the import timed, and the heap
 * watched while they run. Run with
 * {@code ./mvnw -Pbench verify -Dtest=PatientImportBenchmark}.
 */
@Tag("bench")
class PatientImportBenchmark {

	static final int ROWS = Integer.getInteger("klinika.bench.import-rows", 100_000);

	@Test
	void importsAHundredThousandRows() throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(KlinikaApplication.class)
			.profiles("test")
			.run("--server.port=0", "--spring.jmx.enabled=false", "--klinika.embedded-db.database=klinika_import_bench",
					"--klinika.demo.enabled=true")) {
			var owner = context.getBean(UserDetailsService.class).loadUserByUsername("owner");
			SecurityContextHolder.getContext()
				.setAuthentication(
						UsernamePasswordAuthenticationToken.authenticated(owner, null, owner.getAuthorities()));
			JdbcClient jdbc = context.getBean(JdbcClient.class);
			var imports = context.getBean(dev.klinika.patients.PatientImports.class);
			long branch = jdbc.sql("select min(id) from branch").query(Long.class).single();
			byte[] file = csv(ROWS);
			Runtime runtime = Runtime.getRuntime();
			System.gc();
			long heapBefore = runtime.totalMemory() - runtime.freeMemory();
			AtomicLong peak = new AtomicLong(heapBefore);
			Thread watcher = new Thread(() -> {
				while (!Thread.currentThread().isInterrupted()) {
					peak.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(),
							Math::max);
					try {
						Thread.sleep(20);
					}
					catch (InterruptedException ex) {
						return;
					}
				}
			});
			watcher.setDaemon(true);
			watcher.start();

			long t0 = System.nanoTime();
			UUID id = imports.upload("bench.csv", file, branch, null);
			var checked = imports.check(id, imports.find(id).orElseThrow().mapping());
			long t1 = System.nanoTime();
			imports.start(id, true);
			String status;
			do {
				Thread.sleep(100);
				status = jdbc.sql("select status from patient_import where id = :id")
					.param("id", id)
					.query(String.class)
					.single();
			}
			while ("IMPORTING".equals(status));
			long t2 = System.nanoTime();
			watcher.interrupt();
			int imported = jdbc.sql("select imported_rows from patient_import where id = :id")
				.param("id", id)
				.query(Integer.class)
				.single();
			assertThat(status).isEqualTo("DONE");

			long t3 = System.nanoTime();
			UUID again = imports.upload("bench.csv", file, branch, null);
			var second = imports.check(again, imports.find(again).orElseThrow().mapping());
			long t4 = System.nanoTime();

			String report = String.format(java.util.Locale.ROOT,
					"""
							Import of %,d rows (%.1f MB CSV) into a base of 5,000:

							| step | time | result |
							|---|---|---|
							| upload + dry run (read, check, look up duplicates) | %.1f s | %,d valid, %,d invalid, %,d already in the base |
							| import of the valid rows (COPY in batches of 2,000) | %.1f s | %,d imported |
							| the same file again: upload + dry run | %.1f s | %,d valid, %,d already in the base |

							Heap in use before: %d MB; highest seen while checking and importing: %d MB (the file itself is %.1f MB).
							""",
					ROWS, file.length / 1e6, (t1 - t0) / 1e9, checked.validRows(), checked.invalidRows(),
					checked.duplicateRows(), (t2 - t1) / 1e9, imported, (t4 - t3) / 1e9, second.validRows(),
					second.duplicateRows(), heapBefore / 1_048_576, peak.get() / 1_048_576, file.length / 1e6);
			Path out = Path.of("target/bench/patient-import.md");
			Files.createDirectories(out.getParent());
			Files.writeString(out, report);
			System.out.println(report);
		}
	}

	/**
	 * A clinic's export: ФИО, phone in mixed formats, birth dates as text, some bad
	 * cells.
	 */
	static byte[] csv(int rows) {
		Random random = new Random(7);
		String[] surnames = { "Абрамов", "Белкин", "Воронцов", "Гришин", "Дроздов", "Ершов", "Жуков", "Зотов", "Иванов",
				"Карпов", "Лебедев", "Морозов", "Никитин", "Орлов", "Павлов", "Романов", "Соколов", "Титов", "Уваров",
				"Фролов" };
		String[] names = { "Анна", "Вера", "Дарья", "Жанна", "Ирина", "Мария", "Ольга", "Светлана" };
		StringBuilder csv = new StringBuilder("ФИО;Телефон;Дата рождения;Email\n");
		for (int i = 0; i < rows; i++) {
			String phone = String.format("%07d", i);
			String typed = switch (i % 3) {
				case 0 -> "8 (996) " + phone.substring(0, 3) + "-" + phone.substring(3, 5) + "-" + phone.substring(5);
				case 1 -> "+7996" + phone;
				default -> "996" + phone;
			};
			if (i % 97 == 0) {
				typed = "нет";
			}
			csv.append(surnames[random.nextInt(surnames.length)])
				.append("а ")
				.append(names[random.nextInt(names.length)])
				.append(';')
				.append(typed)
				.append(';')
				.append(String.format("%02d.%02d.%d", 1 + random.nextInt(28), 1 + random.nextInt(12),
						1940 + random.nextInt(80)))
				.append(';')
				.append(i % 4 == 0 ? "p" + i + "@example.ru" : "")
				.append('\n');
		}
		return csv.toString().getBytes(StandardCharsets.UTF_8);
	}

}
