package dev.klinika;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each module owns the tables its migrations create: another module's Java code does not
 * name them in SQL, and another module's migration does not alter them. The references
 * that were there before this rule (issue 15) are listed in
 * {@code src/test/resources/table-ownership-debts.txt} as "module table count"; this test
 * fails on any reference not listed there and on any count that grew, so that the debt
 * only goes down. When a reference goes, lower its count (the test says which).
 */
class TableOwnershipTests {

	static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");

	static final Path SOURCES = Path.of("src/main/java/dev/klinika");

	static final Path DEBTS = Path.of("src/test/resources/table-ownership-debts.txt");

	/** Migrations whose names do not start with their module's name. */
	static final Map<String, String> OWNER_OF_MIGRATION = Map.of("online_booking", "scheduling", "work_exceptions",
			"scheduling", "task_templates", "tasks", "overdue_escalation", "tasks", "task_notify", "tasks",
			"modulith_event_publication", "infrastructure");

	private static final Pattern CREATE = Pattern
		.compile("(?i)create\\s+table\\s+(?:if\\s+not\\s+exists\\s+)?([a-z_][a-z_0-9]*)");

	private static final Pattern VIEW = Pattern
		.compile("(?i)create\\s+(?:or\\s+replace\\s+)?view\\s+([a-z_][a-z_0-9]*)");

	private static final Pattern REFERENCE = Pattern
		.compile("(?i)\\b(?:from|join|into|update|table)\\s+([a-z_][a-z_0-9]*)");

	/** The second and later items of {@code from a x, b y, c}. */
	private static final Pattern FROM_LIST = Pattern.compile(
			"(?i)\\bfrom\\s+[a-z_][a-z_0-9]*(?:\\s+(?:as\\s+)?(?!where\\b|join\\b|on\\b)[a-z_][a-z_0-9]*)?((?:\\s*,\\s*[a-z_][a-z_0-9]*(?:\\s+(?:as\\s+)?(?!where\\b|join\\b|on\\b)[a-z_][a-z_0-9]*)?)+)");

	private static final Pattern ALTERS = Pattern.compile(
			"(?i)\\b(?:alter\\s+table|index\\s+[a-z_0-9]*\\s*on|insert\\s+into|update|delete\\s+from)\\s+([a-z_][a-z_0-9]*)");

	@Test
	void noModuleNamesAnotherModulesTablesBeyondTheListedDebts() throws IOException {
		Map<String, String> owners = owners();
		assertThat(owners).containsEntry("appointment", "scheduling").containsEntry("patient", "patients");
		Map<String, Integer> found = references(owners);
		Map<String, Integer> listed = listedDebts();
		List<String> problems = new ArrayList<>();
		found.forEach((reference, count) -> {
			int allowed = listed.getOrDefault(reference, 0);
			if (count > allowed) {
				problems.add(reference + ": " + count + " references, " + allowed + " allowed; use the owner's API");
			}
		});
		listed.forEach((reference, allowed) -> {
			int count = found.getOrDefault(reference, 0);
			if (count < allowed && !reference.startsWith("migration:")) {
				problems.add(reference + ": only " + count + " references left, lower the listed " + allowed + " in "
						+ DEBTS);
			}
		});
		assertThat(problems).as("cross-module table references (module table)").isEmpty();
	}

	/**
	 * What a module publishes for others to read in SQL is a view named
	 * {@code <module>_<what>_v}, created by that module's own migration.
	 */
	@Test
	void publishedViewsAreNamedByTheirOwner() throws IOException {
		Map<String, String> views = views();
		assertThat(views).containsEntry("scheduling_appointment_v", "scheduling")
			.containsEntry("patients_card_v", "patients");
		List<String> misnamed = new ArrayList<>();
		views.forEach((view, module) -> {
			if (!view.startsWith(module + "_") || !view.endsWith("_v")) {
				misnamed.add(view + " (created by " + module + ")");
			}
		});
		assertThat(misnamed).as("published views must be named <owner>_<what>_v").isEmpty();
	}

	@Test
	void noMigrationAltersAnotherModulesTable() throws IOException {
		Map<String, String> owners = owners();
		Map<String, Integer> listed = listedDebts();
		List<String> problems = new ArrayList<>();
		for (Path migration : migrations()) {
			String module = moduleOf(migration);
			Matcher change = ALTERS.matcher(withoutComments(Files.readString(migration)));
			while (change.find()) {
				String table = change.group(1).toLowerCase(Locale.ROOT);
				String owner = owners.get(table);
				if (owner != null && !owner.equals(module)
						&& !listed.containsKey("migration:" + module + " " + table)) {
					problems.add(migration.getFileName() + " (" + module + ") changes " + owner + "'s " + table);
				}
			}
		}
		assertThat(problems).isEmpty();
	}

	/** Which module's migration creates each table. */
	static Map<String, String> owners() throws IOException {
		Map<String, String> owners = new TreeMap<>();
		for (Path migration : migrations()) {
			Matcher create = CREATE.matcher(Files.readString(migration));
			while (create.find()) {
				owners.putIfAbsent(create.group(1).toLowerCase(Locale.ROOT), moduleOf(migration));
			}
		}
		return owners;
	}

	/** Each published view and the module whose migration creates it. */
	static Map<String, String> views() throws IOException {
		Map<String, String> views = new TreeMap<>();
		for (Path migration : migrations()) {
			Matcher create = VIEW.matcher(Files.readString(migration));
			while (create.find()) {
				views.putIfAbsent(create.group(1).toLowerCase(Locale.ROOT), moduleOf(migration));
			}
		}
		return views;
	}

	/** "module table" to the number of times the module's Java names another's table. */
	static Map<String, Integer> references(Map<String, String> owners) throws IOException {
		Map<String, Integer> found = new TreeMap<>();
		try (Stream<Path> files = Files.walk(SOURCES)) {
			for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
				Path relative = SOURCES.relativize(file);
				if (relative.getNameCount() < 2) {
					continue;
				}
				String module = relative.getName(0).toString();
				for (String table : tablesNamedIn(Files.readString(file))) {
					String owner = owners.get(table);
					if (owner != null && !owner.equals(module) && !owner.equals("infrastructure")) {
						found.merge(module + " " + table, 1, Integer::sum);
					}
				}
			}
		}
		return found;
	}

	/**
	 * Every name SQL in the text may read or write as a table: after from, join, into,
	 * update and table, and each further item of a comma-separated from list.
	 */
	static List<String> tablesNamedIn(String text) {
		List<String> tables = new ArrayList<>();
		Matcher reference = REFERENCE.matcher(text);
		while (reference.find()) {
			tables.add(reference.group(1).toLowerCase(Locale.ROOT));
		}
		Matcher list = FROM_LIST.matcher(text);
		while (list.find()) {
			for (String item : list.group(1).split(",")) {
				String name = item.strip().split("\\s+")[0];
				if (!name.isEmpty()) {
					tables.add(name.toLowerCase(Locale.ROOT));
				}
			}
		}
		return tables;
	}

	@Test
	void theScannerSeesCommaSeparatedFromLists() {
		assertThat(tablesNamedIn("""
				select 1 from appointment a, patient p , staff as s join room r on r.id = a.room_id
				 where exists (select 1 from service)
				""")).containsExactlyInAnyOrder("appointment", "room", "service", "patient", "staff");
	}

	static Map<String, Integer> listedDebts() throws IOException {
		Map<String, Integer> listed = new TreeMap<>();
		for (String line : Files.readAllLines(DEBTS)) {
			String trimmed = line.strip();
			if (trimmed.isEmpty() || trimmed.startsWith("#")) {
				continue;
			}
			String[] parts = trimmed.split("\\s+");
			listed.put(parts[0] + " " + parts[1], parts.length > 2 ? Integer.parseInt(parts[2]) : 1);
		}
		return listed;
	}

	static List<Path> migrations() {
		try (Stream<Path> files = Files.list(MIGRATIONS)) {
			return files.filter(f -> f.toString().endsWith(".sql")).sorted().toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static String moduleOf(Path migration) {
		String name = migration.getFileName().toString().replaceFirst("^V\\d+__", "").replaceFirst("\\.sql$", "");
		for (var entry : OWNER_OF_MIGRATION.entrySet()) {
			if (name.equals(entry.getKey())) {
				return entry.getValue();
			}
		}
		return name.split("_", 2)[0];
	}

	private static String withoutComments(String sql) {
		return sql.replaceAll("--[^\n]*", "");
	}

}
