package dev.klinika.bench;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.klinika.patients.PatientSearch;
import dev.klinika.security.BranchScope;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whether the search box finds the person despite one typo, and how fast, on
 * {@code klinika.bench.patients} (default 1,000,000) cards made by a generator of its own
 * (word lists written here, not the demo's; surnames and names drawn with a long tail, as
 * in a real city). {@code klinika.bench.runs} (default 1,000) queries: a random card's
 * surname with one edit (a letter added, lost, replaced, or two neighbours swapped,
 * anywhere, the first letter too) and the first three letters of its name. Run with
 * {@code ./mvnw -Pbench verify -Dtest=SearchRecallBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}; results go to target/bench/search-recall.md.
 */
@Tag("bench")
class SearchRecallBenchmark {

	static final int PATIENTS = Integer.getInteger("klinika.bench.patients", 1_000_000);

	static final int RUNS = Integer.getInteger("klinika.bench.runs", 1000);

	static final int PAGE = 50;

	static final String ALPHABET = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя";

	@Test
	void findsThePersonDespiteOneTypoOnAMillionCards() throws Exception {
		try (ConfigurableApplicationContext context = GeneratedPatients.smallDemo("klinika_recall_bench")) {
			JdbcClient jdbc = context.getBean(JdbcClient.class);
			long branch = GeneratedPatients.adminBranch(jdbc);
			long started = System.nanoTime();
			GeneratedPatients.insert(jdbc, branch, PATIENTS);
			jdbc.sql("vacuum analyze patient").update();
			jdbc.sql("vacuum analyze patient_surname_variant").update();
			long generated = (System.nanoTime() - started) / 1_000_000;
			long cards = jdbc.sql("select count(*) from patient").query(Long.class).single();
			long surnames = jdbc.sql("select count(*) from patient_surname").query(Long.class).single();
			assertThat(cards).isGreaterThanOrEqualTo(PATIENTS);

			Random random = new Random(20261203);
			List<Map<String, Object>> targets = jdbc.sql("""
					select id, surname, name from patient tablesample system (1) repeatable (7)
					 where created_by = 'bench' limit :n
					""").param("n", RUNS).query().listOfRows();
			PatientSearch search = context.getBean(PatientSearch.class);
			BranchScope scope = BranchScope.of(java.util.Set.of(branch));
			String[] kinds = { "insert", "delete", "replace", "swap" };
			Map<String, int[]> byKind = new java.util.LinkedHashMap<>();
			Map<String, int[]> byPlace = new java.util.LinkedHashMap<>();
			int found = 0;
			int empty = 0;
			int ambiguous = 0;
			int foundUnambiguous = 0;
			List<String> queries = new ArrayList<>();
			List<String> missed = new ArrayList<>();
			Latencies sql = new Latencies("the search behind it (PatientSearch, JDBC)", targets.size());
			for (Map<String, Object> target : targets) {
				String surname = ((String) target.get("surname")).toLowerCase(Locale.ROOT);
				String name = ((String) target.get("name")).toLowerCase(Locale.ROOT);
				String kind = kinds[random.nextInt(kinds.length)];
				int[] place = new int[1];
				String typo = typo(surname, kind, random, place);
				String query = typo + " " + name.substring(0, 3);
				queries.add(query);
				long id = ((Number) target.get("id")).longValue();
				PatientSearch.Results[] results = new PatientSearch.Results[1];
				sql.time(() -> results[0] = search.search(query, scope, 0, PAGE));
				boolean hit = results[0].rows().stream().anyMatch(row -> row.id() == id);
				boolean same = jdbc.sql("""
						select count(*) >= :page from (select 1 from patient
						 where search_name collate "C" >= :from and search_name collate "C" < :to limit :page) c
						""")
					.param("page", PAGE + 1)
					.param("from", surname + " " + name.substring(0, 3))
					.param("to", surname + " " + name.substring(0, 3) + Character.MAX_VALUE)
					.query(Boolean.class)
					.single();
				found += hit ? 1 : 0;
				empty += results[0].rows().isEmpty() ? 1 : 0;
				ambiguous += same ? 1 : 0;
				foundUnambiguous += !same && hit ? 1 : 0;
				byKind.computeIfAbsent(kind, key -> new int[2])[0]++;
				byKind.get(kind)[1] += hit ? 1 : 0;
				String where = place[0] == 0 ? "first letter"
						: place[0] >= surname.length() - 1 ? "last letter" : "middle";
				byPlace.computeIfAbsent(where, key -> new int[2])[0]++;
				byPlace.get(where)[1] += hit ? 1 : 0;
				if (!hit && missed.size() < 15) {
					missed.add(query + " → " + surname + " " + name + (same ? " (ambiguous)" : ""));
				}
			}

			String base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
			LoggedIn client = LoggedIn.as(base, "admin");
			Latencies page = new Latencies("GET /patients?q=… fragment (HX-Request), admin, over HTTP", queries.size());
			Latencies statics = new Latencies("baseline: GET /favicon.svg, same client", queries.size());
			for (int warmup = 0; warmup < 100; warmup++) {
				client.fragment("/patients?q=" + URLEncoder.encode(queries.get(warmup), StandardCharsets.UTF_8));
			}
			for (String query : queries) {
				String url = "/patients?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8);
				page.time(() -> assertThat(client.fragment(url)).isEqualTo(200));
				statics.time(() -> client.get("/favicon.svg"));
			}

			int n = targets.size();
			StringBuilder report = new StringBuilder();
			report.append(String.format(Locale.ROOT,
					"Cards: %d (%d distinct surnames) in one branch, generated in %d ms. Queries: %d, page of %d.%n%n",
					cards, surnames, generated, n, PAGE));
			report.append(String.format(Locale.ROOT, "| measure | value |%n|---|---|%n"));
			report.append(String.format(Locale.ROOT, "| intended card on page 1 | %.1f %% (%d of %d) |%n",
					100.0 * found / n, found, n));
			report.append(String.format(Locale.ROOT,
					"| queries where more than %d cards have exactly the target's surname and name start | %d |%n",
					PAGE, ambiguous));
			report.append(String.format(Locale.ROOT, "| on page 1 among the other queries | %.1f %% (%d of %d) |%n",
					100.0 * foundUnambiguous / Math.max(1, n - ambiguous), foundUnambiguous, n - ambiguous));
			report.append(String.format(Locale.ROOT, "| empty answers | %d |%n", empty));
			byKind.forEach((kind, counts) -> report.append(String.format(Locale.ROOT, "| %s | %.1f %% of %d |%n", kind,
					100.0 * counts[1] / counts[0], counts[0])));
			byPlace.forEach((where, counts) -> report.append(String.format(Locale.ROOT,
					"| typo in the %s | %.1f %% of %d |%n", where, 100.0 * counts[1] / counts[0], counts[0])));
			report.append("\n").append(Latencies.header()).append("\n").append(statics.row()).append("\n");
			report.append(page.row()).append("\n").append(sql.row()).append("\n");
			report.append(String.format(Locale.ROOT, "%nRatio p95 page / static file: %.1f%n",
					page.percentile(95) / statics.percentile(95)));
			report.append("\nMissed (first 15):\n\n");
			missed.forEach(line -> report.append("- ").append(line).append("\n"));
			Path out = Path.of("target/bench/search-recall.md");
			Files.createDirectories(out.getParent());
			Files.writeString(out, report.toString());
			System.out.println(report);
			assertThat(empty).isZero();
		}
	}

	/** The word with one edit of the kind, at a random place (remembered in place[0]). */
	static String typo(String word, String kind, Random random, int[] place) {
		for (;;) {
			String typed;
			switch (kind) {
				case "insert" -> {
					int at = random.nextInt(word.length() + 1);
					place[0] = at;
					typed = word.substring(0, at) + ALPHABET.charAt(random.nextInt(ALPHABET.length()))
							+ word.substring(at);
				}
				case "delete" -> {
					int at = random.nextInt(word.length());
					place[0] = at;
					typed = word.substring(0, at) + word.substring(at + 1);
				}
				case "replace" -> {
					int at = random.nextInt(word.length());
					place[0] = at;
					typed = word.substring(0, at) + ALPHABET.charAt(random.nextInt(ALPHABET.length()))
							+ word.substring(at + 1);
				}
				default -> {
					int at = random.nextInt(word.length() - 1);
					place[0] = at;
					typed = word.substring(0, at) + word.charAt(at + 1) + word.charAt(at) + word.substring(at + 2);
				}
			}
			if (!typed.equals(word)) {
				return typed;
			}
		}
	}

}
